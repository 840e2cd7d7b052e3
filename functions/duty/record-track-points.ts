import { recordTrackPoints as route } from '#shared/contract/duty';
import { answerOnce } from '#shared/domain/cases/idempotency';
import { recordTrackPoints } from '#shared/domain/duty/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { idempotencyClaimOf } from '#shared/http/idempotency-key';
import { getAnswerMemory, getDutyDeps } from '#shared/wiring/duty';

/** 轨迹上报; `Idempotency-Key` replays answer the first success again (the same counts). */
export async function trackPoints(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const claim = idempotencyClaimOf(request, route, request.principal, request.body);
  return answerOnce(getAnswerMemory(), claim, async () => ({ status: 202, body: await recordTrackPoints(getDutyDeps(), request.principal, request.body) }));
}

export const handler = httpHandler(route, trackPoints);
