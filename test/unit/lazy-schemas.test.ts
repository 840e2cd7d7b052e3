import { describe, expect, it } from 'vitest';
import * as account from '#shared/schemas/account';
import * as cases from '#shared/schemas/cases';
import * as common from '#shared/schemas/common';
import * as duplicates from '#shared/schemas/duplicates';
import * as escalation from '#shared/schemas/escalation';
import * as events from '#shared/schemas/events';
import * as identity from '#shared/schemas/identity';
import * as open311 from '#shared/schemas/open311';
import * as photos from '#shared/schemas/photos';
import * as reference from '#shared/schemas/reference';
import * as stats from '#shared/schemas/stats';

/**
 * A function loads its route's whole area of schemas; building them all at load was a third of what a
 * data function's cold start paid over the bare SDK handler (docs/performance.md). So each exported
 * schema is `z.lazy(() => …)`, built when first parsed or documented. The exceptions are the bases
 * other schemas extend (`z.extend` and `.shape` need the object itself): they stay small and eager.
 */
const EAGER_BASES = new Set(['UserBody', 'PageQuery', 'TimerTaskInput', 'RangeQuery', 'QueryNumber', 'QueryInteger', 'DepartmentBody', 'CategoryBody', 'CategoryParams', 'CalendarYearBody', 'CalendarParams']);

const modules = { account, cases, common, duplicates, escalation, events, identity, open311, photos, reference, stats };

describe('the contract schemas', () => {
  const schemas = Object.entries(modules).flatMap(([area, exports]) =>
    Object.entries(exports as Record<string, unknown>)
      .filter(([, value]) => typeof value === 'object' && value !== null && '_zod' in value)
      .map(([name, value]) => [`${area}.${name}`, name, value as { _zod: { def: { type: string } } }] as const),
  );

  it('finds them', () => {
    expect(schemas.length).toBeGreaterThan(90);
  });

  it.each(schemas)('%s is built on first use, unless it is a base others extend', (_label, name, schema) => {
    if (EAGER_BASES.has(name)) expect(schema._zod.def.type).not.toBe('lazy');
    else expect(schema._zod.def.type).toBe('lazy');
  });
});
