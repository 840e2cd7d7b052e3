import { describe, expect, it } from 'vitest';
import { CaseParams, MergeBody, RejectBody, ReportBody } from '#shared/schemas/cases';
import * as z from '#shared/validation/zod';

// Item keys are lower-case, so a case id in capitals reaches the same case: it is read as the lower-case
// id the API handed out, so that a merge into itself or a rejection as a duplicate of itself is seen as such.
const id = '0b8f5c1e-3f6a-4d2b-9c1d-2a7e5f9b8c3d';

describe('case ids in requests', () => {
  it('are lower-cased wherever a case is named', () => {
    expect(z.parse(CaseParams, { id: id.toUpperCase() })).toEqual({ id });
    expect(z.parse(MergeBody, { intoCaseId: id.toUpperCase() }).intoCaseId).toBe(id);
    expect(z.parse(RejectBody, { reason: '重复上报的问题', duplicateOf: id.toUpperCase() }).duplicateOf).toBe(id);
  });

  it('are still refused when they are not UUIDs', () => {
    expect(z.safeParse(CaseParams, { id: 'not-a-case' }).success).toBe(false);
    expect(z.safeParse(MergeBody, { intoCaseId: `${id}#x` }).success).toBe(false);
  });
});

describe('a report\'s description (Chinese first)', () => {
  const ok = (description: string) => z.safeParse(ReportBody, { description, location: { lat: 26.879, lng: 112.613 } }).success;
  it('takes four Chinese characters as a whole description, and words in any script', () => {
    expect(ok('井盖缺失')).toBe(true);
    expect(ok('路灯不亮了🚧')).toBe(true);
    expect(ok('　井盖缺失　')).toBe(true); // full-width spaces around it are trimmed
    expect(ok('No light')).toBe(true);
  });

  it('refuses emoji only, invisible characters, a single character and broken text', () => {
    expect(ok('🚧🚧')).toBe(false);
    expect(ok('\u200b\u200b\u200b')).toBe(false);
    expect(ok('坑\u200b')).toBe(false); // one character and a zero-width space
    expect(ok('　　')).toBe(false);
    expect(ok('井盖\ud800缺失')).toBe(false);
  });
});
