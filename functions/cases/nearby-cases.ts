import { listNearbyCases as route } from '#shared/contract/duplicates';
import { findNearby } from '#shared/domain/cases/duplicates';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';

export async function nearbyCases(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const { lat, lng, radius } = request.query;
  return { status: 200, body: await findNearby(await getCaseDeps(), { lat, lng }, radius) };
}

export const handler = httpHandler(route, nearbyCases);
