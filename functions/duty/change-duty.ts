import { changeDuty as route } from '#shared/contract/duty';
import { answerOnce } from '#shared/domain/cases/idempotency';
import { changeDuty } from '#shared/domain/duty/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { idempotencyClaimOf } from '#shared/http/idempotency-key';
import { getAnswerMemory, getDutyDeps } from '#shared/wiring/duty';
import { getLivePublisher } from '#shared/wiring/live-publisher';

/** 上班/下班 (a change is `duty.changed` on the live channel); `Idempotency-Key` replays answer the first success again (a queued 上班 replayed after 下班 starts nothing). */
export async function startOrEndDuty(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const claim = idempotencyClaimOf(request, route, request.principal, request.body);
  return answerOnce(getAnswerMemory(), claim, async () => ({ status: 200, body: await changeDuty({ ...getDutyDeps(), live: getLivePublisher() }, request.principal, request.body) }));
}

export const handler = httpHandler(route, startOrEndDuty);
