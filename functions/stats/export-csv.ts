import { routes } from '#infra/routes';
import { exportCsv } from '#shared/domain/stats/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getStatsDeps } from '#shared/wiring/stats';

export async function exportStats(request: HttpRequest<typeof routes.exportStats>): Promise<HttpResult> {
  const { from, to } = request.query;
  return {
    status: 200,
    body: await exportCsv(getStatsDeps(), request.query),
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="citygrid-${from}-${to}.csv"` },
  };
}

export const handler = httpHandler(routes.exportStats, exportStats);
