import { SignJWT, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { createCursorCodec, cursorKeyOf } from '#shared/adapters/cursors';
import { deriveAuthKeys } from '#shared/adapters/secrets';
import { createTokenIssuer, createTokenVerifier } from '#shared/adapters/tokens';
import { roundCoordinate } from '#shared/domain/geo/coordinates';
import { publicPhotoKey } from '#shared/domain/photos/model';
import { DEFAULT_QUOTAS, takeQuota, windowStart } from '#shared/domain/quotas';
import { ValidationError, RateLimitedError } from '#shared/domain/errors';
import { QueryInteger, QueryNumber } from '#shared/schemas/common';
import { Description, ReportBody } from '#shared/schemas/cases';

describe('list cursors', () => {
  const codec = createCursorCodec(cursorKeyOf('k'.repeat(40)));
  it('round-trips within its scope and refuses other scopes, other keys and any change', () => {
    const cursor = codec.seal('me-cases|u1', '{"pk":"a"}');
    expect(codec.open('me-cases|u1', cursor)).toBe('{"pk":"a"}');
    expect(() => codec.open('me-cases|u2', cursor)).toThrow(ValidationError);
    expect(() => createCursorCodec(cursorKeyOf('z'.repeat(40))).open('me-cases|u1', cursor)).toThrow(ValidationError);
    for (const forged of [`${cursor}A`, cursor.replace('c1.', 'c2.'), cursor.slice(0, -1), 'e30=', 'W10=', 'IngiCg==', 'MQ==', '', '..', 'c1..']) {
      expect(() => codec.open('me-cases|u1', forged)).toThrow(ValidationError);
    }
  });
});

describe('access tokens', () => {
  const keys = deriveAuthKeys('s'.repeat(48));
  const verifier = createTokenVerifier(keys.publicJwk, { maxLifetimeSeconds: 3600 });
  const now = () => Math.floor(Date.now() / 1000);
  const signed = async (claims: { exp?: boolean | number; iat?: boolean | number; sid?: boolean }) => {
    let jwt = new SignJWT({ roles: ['citizen'], ...(claims.sid === false ? {} : { sid: 'family-1' }) }).setProtectedHeader({ alg: 'ES256' }).setSubject('u1').setIssuer('citygrid').setAudience('citygrid-api');
    if (claims.iat) jwt = typeof claims.iat === 'number' ? jwt.setIssuedAt(claims.iat) : jwt.setIssuedAt();
    if (claims.exp) jwt = jwt.setExpirationTime(typeof claims.exp === 'number' ? claims.exp : '1h');
    return jwt.sign(await importJWK(keys.signingJwk, 'ES256'));
  };
  it('refuses a validly signed token without exp, iat or session', async () => {
    await expect(verifier.verify(await signed({ iat: true }))).rejects.toThrow('invalid or has expired');
    await expect(verifier.verify(await signed({ exp: true }))).rejects.toThrow('invalid or has expired');
    await expect(verifier.verify(await signed({ exp: true, iat: true, sid: false }))).rejects.toThrow('invalid or has expired');
    await expect(verifier.verify(await signed({ exp: true, iat: true }))).resolves.toEqual({ userId: 'u1', sessionId: 'family-1' });
    const issued = await createTokenIssuer(keys.signingJwk, 600).issue({ userId: 'u2', roles: ['citizen'], displayName: 'x' }, 'family-2');
    await expect(verifier.verify(issued.accessToken)).resolves.toEqual({ userId: 'u2', sessionId: 'family-2' });
  });

  it('refuses a token that lives longer than tokens are issued for, or was issued in the future (30 s skew allowed)', async () => {
    const t = now();
    await expect(verifier.verify(await signed({ iat: t, exp: t + 3600 }))).resolves.toMatchObject({ userId: 'u1' });
    await expect(verifier.verify(await signed({ iat: t, exp: t + 3601 }))).rejects.toThrow('invalid or has expired');
    await expect(verifier.verify(await signed({ iat: t - 100, exp: t + 7 * 24 * 3600 }))).rejects.toThrow('invalid or has expired');
    await expect(verifier.verify(await signed({ iat: t + 20, exp: t + 600 }))).resolves.toMatchObject({ userId: 'u1' }); // within the skew
    await expect(verifier.verify(await signed({ iat: t + 120, exp: t + 600 }))).rejects.toThrow('invalid or has expired');
    // A token issued with a longer lifetime than a verifier configured for shorter ones allows.
    const long = await createTokenIssuer(keys.signingJwk, 7200).issue({ userId: 'u3', roles: ['citizen'], displayName: 'x' }, 'family-3');
    await expect(verifier.verify(long.accessToken)).rejects.toThrow('invalid or has expired');
  });
});

describe('input shapes', () => {
  it('rounds coordinates to 7 decimals and never yields numbers DynamoDB cannot store', () => {
    expect(roundCoordinate(1e-320)).toBe(0);
    expect(Object.is(roundCoordinate(-5e-324), 0)).toBe(true);
    expect(roundCoordinate(26.87912345678)).toBe(26.8791235);
    expect(ReportBody.parse({ description: '井盖缺失', location: { lat: 1e-320, lng: -5e-324 } }).location).toEqual({ lat: 0, lng: 0 });
  });

  it('reads query numbers in decimal notation only', () => {
    for (const bad of ['', ' ', ' 1', '0x1A', '1e3', 'Infinity', '-', '1.', '.5', '01', 'NaN']) expect(QueryNumber.safeParse(bad).success).toBe(false);
    expect(QueryNumber.parse('-26.879')).toBe(-26.879);
    for (const bad of ['-1', '1.5', '0x10', '+3']) expect(QueryInteger.safeParse(bad).success).toBe(false);
    expect(QueryInteger.parse('16')).toBe(16);
  });

  it('counts description characters in code points after trimming, and wants words among them', () => {
    expect(Description.safeParse('井盖').success).toBe(true);
    expect(Description.safeParse(' 井 ').success).toBe(false);
    expect(Description.safeParse('井😀').success).toBe(true); // two characters (three UTF-16 units), one a letter
    expect(Description.safeParse('😀').success).toBe(false); // two UTF-16 units, one character
    expect(Description.safeParse('😀😀').success).toBe(false); // two characters, but no word
  });

  it('shows photo keys without the uploader id', () => {
    const id = '0b8f5c1e-3f6a-4d2b-9c1d-2a7e5f9b8c3d';
    expect(publicPhotoKey(`uploads/${id}/after/${id}.jpg`)).toBe(`uploads/after/${id}.jpg`);
    expect(publicPhotoKey(`uploads/after/${id}.jpg`)).toBe(`uploads/after/${id}.jpg`);
  });
});

describe('quota windows', () => {
  it('aligns hours to the hour and days to midnight in Shanghai', () => {
    const at = new Date('2026-05-12T17:30:00Z'); // 01:30 on 13 May in Shanghai
    expect(windowStart('hour', at)).toEqual({ start: Date.parse('2026-05-12T17:00:00Z') / 1000, secondsLeft: 1800 });
    expect(windowStart('day', at)).toEqual({ start: Date.parse('2026-05-12T16:00:00Z') / 1000, secondsLeft: 22.5 * 3600 });
  });

  it('refuses with the wait until the full window ends, and exempts staff', async () => {
    const counter = { take: async () => [1] };
    const citizen = { userId: 'u', roles: ['citizen' as const], displayName: 'x' };
    const refusal = takeQuota({ counter, policy: DEFAULT_QUOTAS }, 'report', citizen, new Date('2026-05-12T17:30:00Z'));
    await expect(refusal).rejects.toBeInstanceOf(RateLimitedError);
    await expect(refusal).rejects.toMatchObject({ retryAfterSeconds: 22.5 * 3600, message: 'Too many reports: at most 30 per day' });
    let asked = false;
    await takeQuota({ counter: { take: async () => ((asked = true), []) }, policy: DEFAULT_QUOTAS }, 'report', { ...citizen, roles: ['supervisor'] }, new Date());
    expect(asked).toBe(false);
  });
});
