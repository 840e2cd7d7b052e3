import { importGridBatch as route } from '#shared/contract/reference';
import { importGrids } from '#shared/domain/reference/use-cases';
import { actorOf } from '#shared/domain/audit/chain';
import { getAuditLog } from '#shared/wiring/audit';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

/** 网格批量上传: a FeatureCollection, all or nothing. */
export async function batchGrids(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const grids = request.body.features.map(({ id, properties, geometry }) => ({ id, ...properties, geometry }));
  return { status: 200, body: await importGrids({ ...getReferenceDeps(), audit: getAuditLog() }, grids, { dryRun: request.query.dryRun ?? false }, actorOf(request.principal)) };
}

export const handler = httpHandler(route, batchGrids);
