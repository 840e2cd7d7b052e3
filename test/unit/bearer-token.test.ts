import { describe, expect, it } from 'vitest';
import { bearerToken } from '#shared/http/auth';

describe('the bearer token of an Authorization header', () => {
  it('is missing when nothing usable was sent (the client should log in)', () => {
    for (const header of [undefined, '', 'Bearer', 'Bearer ', 'bearer   ', 'Basic dXNlcjpwYXNz']) expect(bearerToken(header), String(header)).toBeUndefined();
  });

  it('is invalid, not missing, when something that cannot be a token was sent', () => {
    for (const header of ['Bearer not a token', 'Bearer "eyJ.abc.def"', 'Bearer 令牌', 'Bearer a,b']) expect(bearerToken(header), header).toBeNull();
  });

  it('is the token otherwise, whatever the case of the scheme and the spaces around it', () => {
    expect(bearerToken('Bearer eyJhbGciOi.eyJzdWIi.c2ln')).toBe('eyJhbGciOi.eyJzdWIi.c2ln');
    expect(bearerToken('  bearer   abc-_.~+/=  ')).toBe('abc-_.~+/=');
  });
});
