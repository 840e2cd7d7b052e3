import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '#shared/domain/errors';
import { generateCode, hashCode, sameHash } from '#shared/domain/identity/policy';
import { deriveAuthKeys } from '#shared/adapters/secrets';
import { createTokenIssuer, createTokenVerifier } from '#shared/adapters/tokens';
import { SignJWT, importJWK } from 'jose';

describe('SMS codes', () => {
  it('are six digits, leading zeros kept, and vary', () => {
    const codes = Array.from({ length: 500 }, generateCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(490);
  });

  it('hash bound to key, phone and purpose', () => {
    const base = hashCode('pepper', '+8613800000007', 'register', '123456');
    expect(sameHash(base, hashCode('pepper', '+8613800000007', 'register', '123456'))).toBe(true);
    expect(sameHash(base, hashCode('pepper', '+8613800000007', 'login', '123456'))).toBe(false);
    expect(sameHash(base, hashCode('pepper', '+8613800000008', 'register', '123456'))).toBe(false);
    expect(sameHash(base, hashCode('other', '+8613800000007', 'register', '123456'))).toBe(false);
    expect(base).not.toContain('123456');
  });
});

describe('access tokens (ES256)', () => {
  const keys = deriveAuthKeys('a'.repeat(48));
  const issuer = createTokenIssuer(keys.signingJwk, 3600);
  const verifier = createTokenVerifier(keys.publicJwk, { maxLifetimeSeconds: 3600 });
  const principal = { userId: 'u-1', roles: ['handler' as const], departmentId: 'd-1', displayName: 'x' };

  it('round-trip the user id, signed by the private key and verified with the public one', async () => {
    const { accessToken, expiresIn } = await issuer.issue(principal, 'family-1');
    expect(expiresIn).toBe(3600);
    expect(JSON.parse(Buffer.from(accessToken.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'ES256' });
    await expect(verifier.verify(accessToken)).resolves.toEqual({ userId: 'u-1', sessionId: 'family-1' });
  });

  it('derive the same key pair from the same secret (every auth container signs alike)', () => {
    expect(deriveAuthKeys('a'.repeat(48)).publicJwk).toEqual(keys.publicJwk);
    expect(keys.publicJwk).not.toHaveProperty('d');
    expect(deriveAuthKeys('b'.repeat(48)).publicJwk).not.toEqual(keys.publicJwk);
  });

  it('refuse a tampered token', async () => {
    const { accessToken } = await issuer.issue(principal, 'family-1');
    const [h, p, s] = accessToken.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, roles: ['admin'], sub: 'u-admin' })).toString('base64url');
    await expect(verifier.verify(`${h}.${forged}.${s}`)).rejects.toThrow(UnauthenticatedError);
  });

  it('refuse an expired token', async () => {
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setSubject('u-1').setIssuer('citygrid').setAudience('citygrid-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(await importJWK(keys.signingJwk, 'ES256'));
    await expect(verifier.verify(expired)).rejects.toThrow(UnauthenticatedError);
  });

  it('refuse a token signed with another key', async () => {
    const other = createTokenIssuer(deriveAuthKeys('b'.repeat(48)).signingJwk, 3600);
    const { accessToken } = await other.issue(principal, 'family-1');
    await expect(verifier.verify(accessToken)).rejects.toThrow(UnauthenticatedError);
  });

  it('refuse an HS256 token keyed with the public key (algorithm confusion) and an unsigned one', async () => {
    const confused = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('u-1').setIssuer('citygrid').setAudience('citygrid-api')
      .setExpirationTime('1h').sign(new TextEncoder().encode(JSON.stringify(keys.publicJwk)));
    await expect(verifier.verify(confused)).rejects.toThrow(UnauthenticatedError);
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'u-1', iss: 'citygrid', aud: 'citygrid-api', exp: 9999999999 })).toString('base64url');
    await expect(verifier.verify(`${header}.${body}.`)).rejects.toThrow(UnauthenticatedError);
  });

  it('derive a code-hash key unrelated to the signing key', () => {
    expect(keys.codePepper).not.toBe(keys.signingJwk.d);
  });
});
