import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '#shared/domain/errors';
import { sign, verify } from '#shared/domain/hotline/signature';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OLD = 'whsec_c2VjcmV0LW9mLXRoZS1wcmV2aW91cy15ZWFy';
const now = new Date('2026-11-28T08:00:00Z');
const ts = Math.floor(now.getTime() / 1000);
const body = '{"ticketId":"T-1"}';
const headers = (signature: string, timestamp = ts, id = 'msg_1') => ({ 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature });

describe('Standard Webhooks signatures', () => {
  it('accepts a correct v1 signature', () => {
    expect(verify([SECRET], headers(sign(SECRET, 'msg_1', ts, body)), body, now)).toEqual({ id: 'msg_1', timestamp: ts });
  });

  it('matches the Standard Webhooks reference vector', () => {
    // From the specification's reference implementations: id msg_p5jXN8AQM9LWM0D4loKWxJek, timestamp 1614265330.
    const signature = sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it.each([
    ['a character appended', (s: string) => `${s}A`],
    ['the padding dropped', (s: string) => s.replace(/=+$/, '')],
    ['a character appended after the padding', (s: string) => `${s}=`],
    ['base64url instead of base64', (s: string) => s.replace(/\+/g, '-').replace(/\//g, '_')],
  ])('refuses another spelling of the right bytes: %s', (_, alter) => {
    const good = sign(SECRET, 'msg_1', ts, body);
    expect(() => verify([SECRET], headers(alter(good)), body, now)).toThrow(UnauthenticatedError);
  });

  it.each([
    ['a wrong signature', () => headers('v1,' + Buffer.alloc(32).toString('base64'))],
    ['a missing id', () => ({ ...headers(sign(SECRET, 'msg_1', ts, body)), 'webhook-id': undefined })],
    ['a missing signature', () => ({ ...headers(''), 'webhook-signature': undefined })],
    ['a timestamp 6 minutes old', () => headers(sign(SECRET, 'msg_1', ts - 360, body), ts - 360)],
    ['a timestamp 6 minutes ahead', () => headers(sign(SECRET, 'msg_1', ts + 360, body), ts + 360)],
    ['a signature for another id', () => headers(sign(SECRET, 'msg_2', ts, body))],
    ['a v2 scheme only', () => headers(sign(SECRET, 'msg_1', ts, body).replace('v1,', 'v2,'))],
  ])('refuses %s', (_name, make) => {
    expect(() => verify([SECRET], make(), body, now)).toThrow(UnauthenticatedError);
  });

  it('refuses a body altered after signing', () => {
    expect(() => verify([SECRET], headers(sign(SECRET, 'msg_1', ts, body)), body.replace('T-1', 'T-2'), now)).toThrow(UnauthenticatedError);
  });

  it('accepts during rotation: old and new signatures side by side, or either secret', () => {
    const both = `${sign(OLD, 'msg_1', ts, body)} ${sign(SECRET, 'msg_1', ts, body)}`;
    expect(verify([SECRET, OLD], headers(both), body, now).id).toBe('msg_1');
    expect(verify([SECRET, OLD], headers(sign(OLD, 'msg_1', ts, body)), body, now).id).toBe('msg_1');
    expect(() => verify([SECRET], headers(sign(OLD, 'msg_1', ts, body)), body, now)).toThrow(UnauthenticatedError);
  });
});
