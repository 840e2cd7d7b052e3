import { normalizePhone } from '#shared/domain/phone';

/** Logs in through the API as a real client would: request a code, read it from the outbox, log in. */
export async function loginAs(baseUrl: string, phone: string, purpose: 'login' | 'register' = 'login', body: Record<string, unknown> = {}) {
  const post = (path: string, payload: unknown) =>
    fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const sent = await post('/v1/auth/sms-codes', { phone, purpose });
  if (sent.status !== 202) throw new Error(`sms-codes answered ${sent.status}: ${await sent.text()}`);
  const code = await latestCode(baseUrl, normalizePhone(phone) ?? phone);
  const response = await post(purpose === 'login' ? '/v1/auth/login' : '/v1/auth/register', { phone, code, ...body });
  const json = (await response.json()) as { accessToken: string; refreshToken: string; user: { id: string; roles: string[]; departmentId?: string; phone: string } };
  if (response.status !== (purpose === 'login' ? 200 : 201)) throw new Error(`${purpose} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/** The code in the newest SMS to `phone` in `/dev/outbox`. */
export async function latestCode(baseUrl: string, phone: string): Promise<string> {
  const outbox = (await (await fetch(`${baseUrl}/dev/outbox?limit=100`)).json()) as { items: Array<{ destination: string; body: string }> };
  const message = outbox.items.find((m) => m.destination === phone);
  const code = message && /\d{6}/.exec(message.body)?.[0];
  if (!code) throw new Error(`no SMS code for ${phone} in the outbox`);
  return code;
}
