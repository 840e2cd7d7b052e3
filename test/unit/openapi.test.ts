import { Validator } from '@seriousme/openapi-schema-validator';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handler as health } from '#functions/system/health';
import { routeList } from '#shared/contract/index';
import { buildOpenApi, TAG_DESCRIPTIONS } from '#shared/http/openapi';
import { REPO_ROOT } from '#infra/local/platform';
import { httpEvent, lambdaContext } from '../support/events.ts';

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
}

/** Redocly CLI's `lint` with its recommended rules on a document: the pinned dev dependency, offline, no telemetry. */
function redoclyLint(document: unknown): LintReport {
  const dir = mkdtempSync(join(tmpdir(), 'citygrid-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document, null, 2));
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', file, '--extends', 'recommended', '--format', 'json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    });
    const json = result.stdout.slice(result.stdout.indexOf('{'));
    if (!json) throw new Error(`redocly lint printed no report (exit ${result.status}): ${result.stderr.slice(0, 500)}`);
    return JSON.parse(json) as LintReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the generated OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const document = buildOpenApi(routeList(), { deployed: true });
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('passes Redocly\'s recommended rules with no error and no warning (as deployed, and locally with the local-only routes)', { timeout: 180_000 }, () => {
    for (const deployed of [true, false]) {
      const report = redoclyLint(buildOpenApi(routeList(), { deployed }));
      const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
      expect(problems, `deployed: ${deployed}`).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    }
  });

  it('describes every operation (its summary or own description, then who may call it) and declares every tag', () => {
    const document = buildOpenApi(routeList(), { deployed: false });
    const operations = Object.values(document.paths).flatMap((ops) => Object.values(ops as Record<string, { description?: string; tags: string[]; security: unknown[] }>));
    for (const op of operations) {
      expect(op.description).toMatch(/\n\n(Public: no token needed|No token: the calling system signs|Local platform only|Needs a bearer access token holding one of the roles: )/);
    }
    const declared = document.tags.map((t) => t.name);
    expect(new Set(operations.flatMap((op) => op.tags))).toEqual(new Set(declared));
    for (const tag of document.tags) expect(tag.description).toBe(TAG_DESCRIPTIONS[tag.name]);
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('documents a 4xx for the health check that it really answers: a body above the limit is 413', async () => {
    const route = buildOpenApi(routeList(), { deployed: true }).paths['/v1/health'] as { get: { responses: Record<string, unknown> } };
    expect(Object.keys(route.get.responses)).toContain('413');
    const response = await health(httpEvent({ method: 'GET', path: '/v1/health', body: 'x'.repeat(70 * 1024) }), lambdaContext());
    expect(response.statusCode).toBe(413);
    expect(JSON.parse(response.body!).error.code).toBe('PAYLOAD_TOO_LARGE');
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
