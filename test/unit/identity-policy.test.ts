import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '#shared/domain/errors';
import { generateCode, hashCode, sameHash } from '#shared/domain/identity/policy';
import { deriveAuthKeys } from '#shared/adapters/secrets';
import { createTokenService } from '#shared/adapters/tokens';
import { SignJWT } from 'jose';

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

describe('access tokens', () => {
  const keys = deriveAuthKeys('a'.repeat(48));
  const tokens = createTokenService(keys.jwtKey, 3600);
  const principal = { userId: 'u-1', roles: ['handler' as const], departmentId: 'd-1', displayName: 'x' };

  it('round-trip the user id', async () => {
    const { accessToken, expiresIn } = await tokens.issue(principal);
    expect(expiresIn).toBe(3600);
    await expect(tokens.verify(accessToken)).resolves.toEqual({ userId: 'u-1' });
  });

  it('refuse a tampered token', async () => {
    const { accessToken } = await tokens.issue(principal);
    const [h, p, s] = accessToken.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, roles: ['admin'], sub: 'u-admin' })).toString('base64url');
    await expect(tokens.verify(`${h}.${forged}.${s}`)).rejects.toThrow(UnauthenticatedError);
  });

  it('refuse an expired token', async () => {
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('u-1').setIssuer('citygrid').setAudience('citygrid-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(keys.jwtKey);
    await expect(tokens.verify(expired)).rejects.toThrow(UnauthenticatedError);
  });

  it('refuse a token signed with another key', async () => {
    const other = createTokenService(deriveAuthKeys('b'.repeat(48)).jwtKey, 3600);
    const { accessToken } = await other.issue(principal);
    await expect(tokens.verify(accessToken)).rejects.toThrow(UnauthenticatedError);
  });

  it('refuse an unsigned (alg none) token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'u-1', iss: 'citygrid', aud: 'citygrid-api', exp: 9999999999 })).toString('base64url');
    await expect(tokens.verify(`${header}.${body}.`)).rejects.toThrow(UnauthenticatedError);
  });

  it('derive different keys for tokens and code hashes', () => {
    expect(Buffer.from(keys.jwtKey).toString('base64url')).not.toBe(keys.codePepper);
  });
});
