import { reportCase as route } from '#shared/contract/cases';
import { reportCase as report } from '#shared/domain/cases/report';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { parseWith } from '#shared/http/validate';
import { IdempotencyKey } from '#shared/schemas/cases';
import { getCaseDeps } from '#shared/wiring/cases';

export async function reportCase(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const rawKey = request.headers['idempotency-key'];
  const key = rawKey === undefined ? undefined : parseWith(IdempotencyKey, rawKey, 'headers.idempotency-key');
  return { status: 201, body: { case: await report(await getCaseDeps(), request.principal, request.body, key) } };
}

export const handler = httpHandler(route, reportCase);
