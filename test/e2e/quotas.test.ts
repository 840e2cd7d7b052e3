import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../support/auth.ts';
import { startTestPlatform } from '../support/platform.ts';

/** Per-citizen quotas, with small limits set the way an operator would (environment). */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  platform = await startTestPlatform({ env: { REPORT_QUOTA_HOURLY: '3', REPORT_QUOTA_DAILY: '5', UPLOAD_QUOTA_HOURLY: '2', UPLOAD_QUOTA_DAILY: '4' } });
  tokens.citizen = (await loginAs(platform.url, '13912350001', 'register')).accessToken;
  tokens.burst = (await loginAs(platform.url, '13912350002', 'register')).accessToken;
  tokens.supervisor = (await loginAs(platform.url, '+8613800000003')).accessToken;
  tokens.handler = (await loginAs(platform.url, '+8613800000007')).accessToken;
}, 120_000);
afterAll(async () => platform?.stop());

const post = (who: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  platform.api(path, { method: 'POST', headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const report = (who: string, headers: Record<string, string> = {}) => post(who, '/v1/cases', { description: '占道经营', location: { lat: 26.879, lng: 112.613 } }, headers);
const upload = (who: string) => post(who, '/v1/uploads', { kind: 'before', contentType: 'image/jpeg', size: 1000 });

describe('per-citizen quotas', () => {
  it('refuses the report past the hourly quota with 429 and Retry-After; a replayed Idempotency-Key is not counted', async () => {
    const first = await report('citizen', { 'idempotency-key': 'quota-replay-1' });
    expect(first.status).toBe(201);
    expect((await report('citizen')).status).toBe(201);
    expect((await report('citizen')).status).toBe(201);
    const refused = await report('citizen');
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // The retry of an earlier report is answered from its record, quota or not.
    const replay = await report('citizen', { 'idempotency-key': 'quota-replay-1' });
    expect(replay.status).toBe(201);
    expect(replay.json.case.id).toBe(first.json.case.id);
    const mine = await platform.api('/v1/me/cases?limit=100', { headers: { authorization: `Bearer ${tokens.citizen}` } });
    expect(mine.json.items).toHaveLength(3);
  });

  it('holds under a burst: 8 parallel reports create exactly 3 cases', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => report('burst')));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(5);
  });

  it('exempts patrol supervisors', async () => {
    for (let i = 0; i < 6; i++) expect((await report('supervisor')).status).toBe(201);
  });

  it('limits upload grants of citizens, not of staff', async () => {
    expect((await upload('citizen')).status).toBe(201);
    expect((await upload('citizen')).status).toBe(201);
    const refused = await upload('citizen');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    for (let i = 0; i < 3; i++) expect((await upload('handler')).status).toBe(201);
  });
});
