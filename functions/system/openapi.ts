import { existsSync, readFileSync } from 'node:fs';
import { getHttpConfig } from '#shared/config/index';
import { routeList } from '#shared/contract/index';
import { getOpenApi as route } from '#shared/contract/system';
import { publicHttpHandler, type HttpResult } from '#shared/http/public-handler';
import { buildOpenApi, PREBUILT_OPENAPI_FILE } from '#shared/http/openapi';

/**
 * The document, once per container. Deployed, it was written beside the bundle at synth (the same
 * `buildOpenApi` output), so a cold start reads a file instead of building every route's schemas;
 * locally (no file beside the source) it is built from the route table.
 */
const prebuilt = new URL(`./${PREBUILT_OPENAPI_FILE}`, import.meta.url);
const document: unknown = existsSync(prebuilt) ? JSON.parse(readFileSync(prebuilt, 'utf8')) : buildOpenApi(routeList(), { deployed: !getHttpConfig().CITYGRID_LOCAL });

export async function getOpenApi(): Promise<HttpResult> {
  return { status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
}

export const handler = publicHttpHandler(route, getOpenApi);
