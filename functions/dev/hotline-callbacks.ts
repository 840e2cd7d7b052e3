import { receiveHotlineCallback as route } from '#shared/contract/dev';
import { createOutbox } from '#shared/adapters/outbox';
import { getConfig } from '#shared/config/index';
import { getTable } from '#shared/data/db';
import { verify } from '#shared/domain/hotline/signature';
import { publicHttpHandler, type HttpRequest, type HttpResult } from '#shared/http/public-handler';

/**
 * Local only — the default target of hotline callbacks on `npm start`: checks the signature exactly as
 * docs/hotline-integration.md tells the hotline's engineers to, then keeps the callback in the outbox
 * (channel `callback`), so the whole loop can be watched at `/dev/outbox`.
 */
export async function receiveHotlineCallback(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const secret = getConfig().HOTLINE_CALLBACK_SECRET;
  const body = request.rawBody ?? '';
  const { id } = verify(secret ? [secret] : [], request.headers, body, new Date());
  await createOutbox(getTable()).record({ channel: 'callback', destination: 'hotline', subject: id, body });
  return { status: 204 };
}

export const handler = publicHttpHandler(route, receiveHotlineCallback);
