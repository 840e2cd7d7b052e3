import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from '#shared/validation/zod';
import { SMS_TEMPLATES } from '#shared/domain/messaging/sms-templates';
import { IdempotencyKey } from '#shared/schemas/cases';

/** The docs' statements that code can hold true (each was once found wrong by following the doc). */
const doc = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
/** The text of a document's section, from its heading to the next heading of the same level. */
const section = (text: string, heading: string) => {
  const start = text.indexOf(heading);
  expect(start, `heading "${heading}"`).toBeGreaterThanOrEqual(0);
  const level = /^#+/.exec(heading)![0];
  const next = text.slice(start + heading.length).search(new RegExp(`\\n${level} `));
  return next < 0 ? text.slice(start) : text.slice(start, start + heading.length + next);
};

describe('docs/deploy.md', () => {
  it('§5 lists every SMS template the code sends, with its parameters in order (a mainland deploy needs an id for each)', () => {
    const sms = section(doc('docs/deploy.md'), '## 5. SMS');
    const rows = [...sms.matchAll(/^\| `([\w-]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2]!.trim().split(/,\s*/)]);
    const code = Object.entries(SMS_TEMPLATES).map(([id, t]) => [id, [...t.params]]);
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(code));
    expect(sms).toContain(`all ${code.length}`);
  });
});

describe('docs/hotline-integration.md', () => {
  it('computes the curl example\'s receivedAt from now (a fixed date falls out of the 30-day window)', () => {
    const curl = /```bash\n(set -a[\s\S]*?)```/.exec(doc('docs/hotline-integration.md'))?.[1] ?? '';
    expect(curl).toMatch(/receivedAt\\":\\"\$\(date -u \+%Y-%m-%dT%H:%M:%SZ\)\\"/);
    expect(curl).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });
});

describe('README.md', () => {
  it('states the Idempotency-Key length the API enforces', () => {
    expect(z.safeParse(IdempotencyKey, 'k'.repeat(7)).success).toBe(false);
    expect(z.safeParse(IdempotencyKey, 'k'.repeat(8)).success).toBe(true);
    expect(z.safeParse(IdempotencyKey, 'k'.repeat(129)).success).toBe(false);
    expect(doc('README.md')).toMatch(/`Idempotency-Key` header is 8–128 characters/);
  });

  it('names the browser the tests need with the packages .ci/run installs', () => {
    const packages = /apt-get install -y -qq ([\w -]+?) >/.exec(doc('.ci/run'))?.[1];
    expect(packages).toBe('chromium fonts-noto-cjk');
    expect(section(doc('README.md'), '## Quick start')).toContain(`apt-get install ${packages}`);
  });
});
