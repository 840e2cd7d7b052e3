/**
 * The deployed OpenAPI function's document: written beside its bundle at synth (infra/constructs/api.ts,
 * from `buildOpenApi`), read by `functions/system/openapi.ts`. Kept apart from the generator so that the
 * function's bundle carries neither zod's JSON Schema writer nor any route's schema.
 */
export const PREBUILT_OPENAPI_FILE = 'openapi.json';

declare global {
  /**
   * `true` in a bundle built by CityFunction (esbuild `define`, infra/constructs/city-function.ts), so the
   * branches that only run from source (local platform, tests, scripts) are dead code there and their
   * imports are left out; undefined when run from source.
   */
  var CITYGRID_BUNDLED: true | undefined;
}
