import { listCameras as route } from '#shared/contract/reference';
import { listCameras } from '#shared/domain/reference/use-cases';
import { httpHandler, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function getCameras(): Promise<HttpResult> {
  return { status: 200, body: await listCameras(getReferenceDeps()) };
}

export const handler = httpHandler(route, getCameras);
