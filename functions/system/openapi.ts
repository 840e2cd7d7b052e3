import { readFileSync } from 'node:fs';
import { getOpenApi as route } from '#shared/contract/system';
import { publicHttpHandler, type HttpResult } from '#shared/http/public-handler';
import { PREBUILT_OPENAPI_FILE } from '#shared/http/prebuilt-openapi';

/**
 * The document, once per container. Deployed, it was written beside the bundle at synth (the same
 * `buildOpenApi` output), so the bundle carries no generator and no route's schema, and a cold start
 * reads a file. Run from source (local platform, tests, the console's type generator) it is built from
 * the route table on the first request; that branch is dead code in a bundle (`CITYGRID_BUNDLED`).
 */
let document: unknown = globalThis.CITYGRID_BUNDLED ? JSON.parse(readFileSync(new URL(`./${PREBUILT_OPENAPI_FILE}`, import.meta.url), 'utf8')) : undefined;

export async function getOpenApi(): Promise<HttpResult> {
  if (!globalThis.CITYGRID_BUNDLED) document ??= await builtFromSource();
  return { status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
}

async function builtFromSource(): Promise<unknown> {
  const [{ getHttpConfig }, { routeList }, { buildOpenApi }] = await Promise.all([import('#shared/config/index'), import('#shared/contract/index'), import('#shared/http/openapi')]);
  return buildOpenApi(routeList(), { deployed: !getHttpConfig().CITYGRID_LOCAL });
}

export const handler = publicHttpHandler(route, getOpenApi);
