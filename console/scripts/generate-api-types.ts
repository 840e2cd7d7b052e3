/**
 * Writes `console/src/api/schema.d.ts` (not committed) from the API's OpenAPI document, produced
 * in-process by the same function that answers `GET /v1/openapi.json`, so no platform needs to run and
 * the console's types always follow the route table (docs/decisions.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const target = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));
const { getOpenApi } = await import('#functions/system/openapi');
const { body } = await getOpenApi();
const ast = await openapiTS(JSON.parse(JSON.stringify(body)), { alphabetize: true });
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `/* Generated from GET /v1/openapi.json by console/scripts/generate-api-types.ts. Do not edit. */\n${astToString(ast)}`);
console.log('console/src/api/schema.d.ts written from the OpenAPI document');
