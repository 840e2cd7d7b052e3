import { describe, expect, it } from 'vitest';
import { CaseParams, MergeBody, RejectBody } from '#shared/schemas/cases';
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
