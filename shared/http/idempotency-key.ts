import { hashBody, type IdempotencyClaim } from '#shared/domain/cases/idempotency';
import type { Principal } from '#shared/domain/identity/model';
import { IdempotencyKey } from '#shared/schemas/idempotency-key';
import { parseWith } from './validate.ts';

/**
 * The request's `Idempotency-Key` as a claim (shared/domain/cases/idempotency.ts): the key (400 when
 * malformed), scoped to the caller, the method and the request's own path (parameters filled in), with
 * the hash of the validated body. Undefined without the header.
 */
export function idempotencyClaimOf(
  request: { headers: Readonly<Record<string, string | undefined>>; params?: Readonly<Record<string, string | undefined>> | undefined },
  route: { method: string; path: string },
  principal: Principal,
  body: unknown,
): IdempotencyClaim | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = parseWith(IdempotencyKey, raw, 'headers.idempotency-key');
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => request.params?.[name] ?? '');
  return { callerId: principal.userId, scope: `${route.method} ${path}`, key, bodyHash: hashBody(body) };
}
