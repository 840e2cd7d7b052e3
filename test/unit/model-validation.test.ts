import { createRequire } from 'node:module';
import { Entity, Service } from 'electrodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_ENTITIES } from '#shared/data/db';
import { rememberResolvedUrls, resolvedUrlsRemembered } from '#shared/data/model-validation';

/**
 * `shared/data/model-validation.ts` remembers jsonschema's URL resolution (ElectroDB's model checks, a
 * function's first request). It copies one function of jsonschema 1.5.0, so: that version, and every
 * model — the table's and broken ones — judged exactly as jsonschema's own functions judge it.
 */
const require = createRequire(import.meta.url);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const table = 'model-validation';

afterEach(() => rememberResolvedUrls(true));

/** What building the model does: the entity, or ElectroDB's error message. */
const judge = (model: unknown) => {
  try {
    new Entity(model as never, { client, table });
    return 'valid';
  } catch (error) {
    return (error as Error).message;
  }
};

const valid = {
  model: { entity: 'thing', version: '1', service: 'citygrid' },
  attributes: { id: { type: 'string', required: true }, size: { type: 'number' } },
  indexes: { byId: { pk: { field: 'pk', composite: ['id'] }, sk: { field: 'sk', composite: [] } } },
};
const broken: Record<string, unknown> = {
  'no attributes': { ...valid, attributes: undefined },
  'no indexes': { ...valid, indexes: undefined },
  'a bad attribute type': { ...valid, attributes: { ...valid.attributes, size: { type: 42 } } },
  'a validate that is not a function': { ...valid, attributes: { ...valid.attributes, size: { type: 'number', validate: 'yes' } } },
  'a get that is not a function': { ...valid, attributes: { ...valid.attributes, size: { type: 'number', get: 1 } } },
  'an index without pk': { ...valid, indexes: { byId: { sk: { field: 'sk', composite: [] } } } },
  'a composite that is not a list': { ...valid, indexes: { byId: { pk: { field: 'pk', composite: 'id' }, sk: { field: 'sk', composite: [] } } } },
  'a model without a service': { ...valid, model: { entity: 'thing', version: '1' } },
  'not a model': { hello: 'world' },
};

describe('remembered URL resolution in model checks', () => {
  it('patches jsonschema 1.5.0, the version whose makeChild it copies (check the copy before moving on)', () => {
    expect(require('jsonschema/package.json').version).toBe('1.5.0');
    expect(require('electrodb/package.json').dependencies.jsonschema).toBe('1.5.0');
    expect(resolvedUrlsRemembered()).toBe(true);
  });

  it('judges the table\'s models and broken ones exactly as jsonschema\'s own functions do', () => {
    const cases = { valid, ...broken };
    rememberResolvedUrls(false);
    const own = Object.fromEntries(Object.entries(cases).map(([name, model]) => [name, judge(model)]));
    rememberResolvedUrls(true);
    // Twice: the first fills the memo, the second reads it.
    for (let round = 0; round < 2; round++) {
      expect(Object.fromEntries(Object.entries(cases).map(([name, model]) => [name, judge(model)]))).toEqual(own);
    }
    expect(own.valid).toBe('valid');
    for (const name of Object.keys(broken)) expect(own[name], name).not.toBe('valid');
    expect(own['a validate that is not a function']).toMatch(/validate must be either a function or Regexp/);
    expect(own['a get that is not a function']).toMatch(/get must be a function/);
  });

  it('builds every entity of the table and joins them into one Service', () => {
    const service = new Service(Object.fromEntries(Object.entries(ALL_ENTITIES).map(([name, factory]) => [name, factory(client, table)])), { client, table });
    expect(Object.keys(service.entities)).toEqual(Object.keys(ALL_ENTITIES));
    expect(Object.keys(service.collections)).toEqual(['caseDetail']);
  });
});
