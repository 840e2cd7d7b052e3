import { loadHttpSequence, type Measurement } from './lib.ts';

/**
 * Login as a phone does it, through the gateway: send a code (then read it from the outbox, untimed),
 * register with it; later send a login code and log in. Each phone is new, so the per-phone limits
 * never bite; the per-IP limit is raised for the bench by SMS_IP_HOURLY_LIMIT.
 */
export async function benchLogin(baseUrl: string, count: number): Promise<Measurement[]> {
  const post = (path: string, body: unknown) =>
    fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const codeFor = async (phone: string) => {
    const outbox = (await (await fetch(`${baseUrl}/dev/outbox?limit=20`)).json()) as { items: Array<{ destination: string; body: string }> };
    return /\d{6}/.exec(outbox.items.find((m) => m.destination === phone)!.body)![0];
  };
  const phones = Array.from({ length: count }, (_, i) => `+86137${String(10_000_000 + i).slice(-8)}`);
  const expect = async (response: Response, status: number) => {
    if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  };

  const codes = new Map<string, string>();
  const sendRegister = await loadHttpSequence('POST /v1/auth/sms-codes (register)', phones, async (phone) => {
    await expect(await post('/v1/auth/sms-codes', { phone, purpose: 'register' }), 202);
  }, async (phone) => codes.set(phone, await codeFor(phone)));
  const register = await loadHttpSequence('POST /v1/auth/register', phones, async (phone) => {
    await expect(await post('/v1/auth/register', { phone, code: codes.get(phone) }), 201);
  });
  const sendLogin = await loadHttpSequence('POST /v1/auth/sms-codes (login)', phones, async (phone) => {
    await expect(await post('/v1/auth/sms-codes', { phone, purpose: 'login' }), 202);
  }, async (phone) => codes.set(phone, await codeFor(phone)));
  const login = await loadHttpSequence('POST /v1/auth/login', phones, async (phone) => {
    await expect(await post('/v1/auth/login', { phone, code: codes.get(phone) }), 200);
  });
  return [sendRegister, register, sendLogin, login];
}

const tokens = new Map<string, Promise<string>>();

/**
 * An access token for a demo user (code read from the outbox), for benches of authenticated routes.
 * One login per phone per run: a second code within the 60 s cooldown would be refused.
 */
export function benchToken(baseUrl: string, phone = '+8613800000001'): Promise<string> {
  let token = tokens.get(phone);
  if (!token) {
    token = login(baseUrl, phone);
    tokens.set(phone, token);
  }
  return token;
}

async function login(baseUrl: string, phone: string): Promise<string> {
  const post = (path: string, body: unknown) =>
    fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await post('/v1/auth/sms-codes', { phone, purpose: 'login' });
  const outbox = (await (await fetch(`${baseUrl}/dev/outbox?limit=100`)).json()) as { items: Array<{ destination: string; body: string }> };
  const code = /\d{6}/.exec(outbox.items.find((m) => m.destination === phone && /\d{6}/.test(m.body))!.body)![0];
  const session = (await (await post('/v1/auth/login', { phone, code })).json()) as { accessToken: string };
  return session.accessToken;
}
