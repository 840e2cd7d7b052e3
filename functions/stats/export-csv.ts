import { exportStats as route } from '#shared/contract/stats';
import { exportCsv } from '#shared/domain/stats/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getStatsDeps } from '#shared/wiring/stats';

export async function exportStats(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const { from = 'month', to = 'end' } = request.query;
  return {
    status: 200,
    body: await exportCsv(getStatsDeps(), request.query, request.principal),
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="citygrid-${from}-${to}.csv"` },
  };
}

export const handler = httpHandler(route, exportStats);
