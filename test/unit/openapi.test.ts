import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { routeList } from '#shared/contract/index';
import { buildOpenApi } from '#shared/http/openapi';

describe('the generated OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const document = buildOpenApi(routeList(), { deployed: true });
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('has one operation per deployed route and leaves local-only routes out', () => {
    const document = buildOpenApi(routeList(), { deployed: true });
    const operations = Object.values(document.paths).flatMap((ops) => Object.values(ops as Record<string, { operationId: string }>));
    // A facade on `ANY` (Open311) is documented as its GET and its POST.
    const expected = routeList()
      .filter((r) => r.access !== 'local' && r.path !== '$default')
      .flatMap((r) => (r.method === 'ANY' ? [r.id, `${r.id}Post`] : [r.id]))
      .sort();
    expect(operations.map((op) => op.operationId).sort()).toEqual(expected);
    expect(document.paths['/dev/outbox']).toBeUndefined();
    expect(buildOpenApi(routeList(), { deployed: false }).paths['/dev/outbox']).toBeDefined();
  });

  it('documents the Open311 facade as GET and POST of one path with the rest of the path as a parameter', () => {
    const document = buildOpenApi(routeList(), { deployed: true });
    const item = document.paths['/open311/v2/{proxy}'] as Record<string, { operationId: string; parameters: Array<{ name: string; in: string }> }>;
    expect(Object.keys(item).sort()).toEqual(['get', 'post']);
    expect(item.get!.parameters).toContainEqual(expect.objectContaining({ name: 'proxy', in: 'path' }));
  });

  it('resolves every $ref to a component', () => {
    const document = buildOpenApi(routeList(), { deployed: false });
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(document.components.schemas).toHaveProperty(ref);
  });
});
