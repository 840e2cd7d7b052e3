import type { LifecycleRoute } from '#shared/contract/lifecycle';
import { transition, type TransitionInput } from '#shared/domain/cases/transition';
import { UnauthenticatedError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/identity/model';
import { httpHandler, type HttpRequest } from '#shared/http/handler';
import { parseWith } from '#shared/http/validate';
import { IdempotencyKey } from '#shared/schemas/cases';
import { getCaseDeps } from '#shared/wiring/cases';

/**
 * The one shape of every lifecycle step's function: the validated body becomes the step's input, the
 * transition use case decides and writes, the answer is the case after the step. Every step honours
 * `Idempotency-Key` (a phone replaying what it queued offline): a remembered success is answered again.
 */
export function transitionRoute<R extends LifecycleRoute>(route: R, toInput: (body: HttpRequest<R>['body']) => TransitionInput & { expectedVersion?: number | undefined }) {
  return httpHandler(route, async (request) => {
    // Every step's access is a role list, so the stack has authenticated the caller; TypeScript cannot
    // see that through the generic route type.
    const principal: Principal | undefined = request.principal;
    if (!principal) throw new UnauthenticatedError('Log in first');
    // Idempotency-Key: scoped to the caller (the use case adds them), the method and this case's path.
    const rawKey = request.headers['idempotency-key'];
    const idempotency = rawKey === undefined ? undefined : { key: parseWith(IdempotencyKey, rawKey, 'headers.idempotency-key'), scope: `${route.method} ${route.path.replace('{id}', request.params.id)}` };
    return { status: route.successStatus, body: { case: await transition(await getCaseDeps(), principal, request.params.id, toInput(request.body), idempotency) } };
  });
}
