import { receiveHotlineTicket as route } from '#shared/contract/hotline';
import { verify } from '#shared/domain/hotline/signature';
import { receiveTicket } from '#shared/domain/hotline/use-cases';
import { normalizePhone } from '#shared/domain/phone';
import { ValidationError } from '#shared/domain/errors';
import { publicHttpHandler, type HttpRequest, type HttpResult } from '#shared/http/public-handler';
import { parseWith } from '#shared/http/validate';
import { HotlineTicketBody } from '#shared/schemas/cases';
import { getHotlineDeps, getHotlineSecrets } from '#shared/wiring/hotline';

/**
 * The 12345 hotline's signed webhook. The signature is checked on the raw bytes BEFORE the body is
 * parsed: an unsigned or stale request learns nothing (401) and writes nothing.
 */
export async function receiveHotlineTicket(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const { id } = verify(await getHotlineSecrets(), request.headers, request.rawBody ?? '', new Date());
  let json: unknown;
  try {
    json = JSON.parse(request.rawBody ?? '');
  } catch {
    throw new ValidationError('The body is not valid JSON', [{ path: 'body', message: 'Malformed JSON' }]);
  }
  const ticket = parseWith(HotlineTicketBody, json);
  const callerPhone = normalizePhone(ticket.callerPhone);
  if (!callerPhone) throw new ValidationError('The request is not valid', [{ path: 'callerPhone', message: 'Not a valid phone number' }]);
  const result = await receiveTicket(getHotlineDeps(), id, { ...ticket, callerPhone });
  return { status: result.created ? 202 : 200, body: { caseId: result.caseId } };
}

export const handler = publicHttpHandler(route, receiveHotlineTicket);
