import { answerRollCall as route } from '#shared/contract/duty';
import { answerOnce } from '#shared/domain/cases/idempotency';
import { answerRollCall } from '#shared/domain/duty/roll-calls';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { idempotencyClaimOf } from '#shared/http/idempotency-key';
import { getAnswerMemory, getRollCallDeps } from '#shared/wiring/duty';
import { getLivePublisher } from '#shared/wiring/live-publisher';

/** 应答点名 (`roll-call.answered` on the live channel); `Idempotency-Key` replays answer the first success again (another body: 409). */
export async function answer(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const claim = idempotencyClaimOf(request, route, request.principal, request.body);
  return answerOnce(getAnswerMemory(), claim, async () => ({ status: 200, body: await answerRollCall({ ...getRollCallDeps(), live: getLivePublisher() }, request.principal, request.params.id, request.body) }));
}

export const handler = httpHandler(route, answer);
