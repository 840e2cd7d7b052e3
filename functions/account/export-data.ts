import { exportMyData as route } from '#shared/contract/account';
import { exportMyData } from '#shared/domain/identity/data-rights';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDataRightsDeps } from '#shared/wiring/data-rights';

export async function exportData(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await exportMyData(getDataRightsDeps(), request.principal), headers: { 'content-disposition': 'attachment; filename="citygrid-my-data.json"' } };
}

export const handler = httpHandler(route, exportData);
