/**
 * zod for CityGrid's schemas: zod/mini (a function per check instead of a method per schema: 21 kB of
 * zod in a function's bundle instead of 97 kB: a faster cold start, docs/performance.md), plus what the classic API did that zod/mini
 * leaves to its user, done exactly as the classic API does it (zod 4), so that the schemas, their
 * messages and the OpenAPI document are the same as when they were written with `import * as z from 'zod'`.
 * Import it as a namespace (`import * as z from '#shared/validation/zod'`) so the bundler keeps only what is used.
 * The contract's schemas (`shared/schemas/`) are each exported as `z.lazy(() => …)`: a function loads
 * its route's whole area, and builds only what it parses (test/unit/lazy-schemas.test.ts).
 */
import * as z from 'zod/mini';
import * as core from 'zod/v4/core';
import en from 'zod/v4/locales/en.js';

export * from 'zod/mini';

// The classic API sets these when it builds its first schema: English messages, and the memoizer that
// guards recursive schemas (CityGrid has none; kept so parsing is the classic API's).
if (!core.config().localeError) core.config(en());
if (!core.config().memoizer) core.config({ memoizer: core.memoizer() });

/**
 * The classic API's error (an Error named `ZodError`), thrown by {@link parse}: what a failed
 * `schema.parse(value)` threw before (a task's failure in Step Functions shows its name). Its issues and
 * message are zod's own; the classic helper methods (`format`, `flatten`) are not used here.
 */
const initError: (inst: core.$ZodError, issues: core.$ZodIssue[]) => void = core.$ZodError.init;
export const ZodError = /* @__PURE__ */ core.$constructor<core.$ZodError>('ZodError', (inst, issues) => {
  initError(inst, issues);
  inst.name = 'ZodError';
}, undefined, { Parent: Error });

/** `schema.parse(value)` of the classic API: the value, or a thrown {@link ZodError}. */
export const parse: <T extends core.$ZodType>(schema: T, value: unknown, ctx?: core.ParseContext<core.$ZodIssue>) => z.output<T> = /* @__PURE__ */ core._parse(ZodError as never);

/** `schema.meta(data)`: a copy of the schema carrying `data` in the global registry (read by the OpenAPI writer). */
export function withMeta<T extends z.ZodMiniType>(schema: T, data: core.GlobalMeta): T {
  const copy = schema.clone();
  z.globalRegistry.add(copy, data);
  return copy;
}

/** `object.strict()`: a copy of the object schema that refuses unknown keys. */
export function strict<S extends core.$ZodLooseShape>(schema: z.ZodMiniObject<S>): z.ZodMiniObject<S, core.$strict> {
  return schema.clone({ ...schema._zod.def, catchall: z.never() }) as unknown as z.ZodMiniObject<S, core.$strict>;
}

/**
 * `ctx.addIssue(issue)` in a transform (zod/mini's transforms get the bare payload): the issue as the
 * classic API records it. CityGrid's issues always carry their message.
 */
export function addIssue(ctx: core.ParsePayload, issue: { code: 'custom'; message: string; path?: PropertyKey[] }): void {
  ctx.issues.push({ ...issue, input: ctx.value });
}
