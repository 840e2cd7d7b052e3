import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from '#shared/domain/phone';

describe('phone numbers', () => {
  it.each([
    ['13800000007', '+8613800000007'],
    ['138 0000 0007', '+8613800000007'],
    ['138-0000-0007', '+8613800000007'],
    ['+8613800000007', '+8613800000007'],
    ['8613800000007', '+8613800000007'],
    ['008613800000007', '+8613800000007'],
    ['+85291234567', '+85291234567'],
    ['１３８０００００００７', '+8613800000007'], // full-width digits from a Chinese keyboard
    ['＋８６ １３８ ００００ ０００７', '+8613800000007'],
  ])('normalises %s to %s', (input, e164) => {
    expect(normalizePhone(input)).toBe(e164);
  });

  it.each(['12800000007', '1380000000', '+86123', '+8602012345678', 'abc', '', '+0123456789'])('rejects %s', (input) => {
    expect(normalizePhone(input)).toBeUndefined();
  });

  it('masks mainland numbers as +86 138****0007', () => {
    expect(maskPhone('+8613800000007')).toBe('+86 138****0007');
    expect(maskPhone('+85291234567')).toBe('+85****4567');
  });
});
