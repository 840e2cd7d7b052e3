import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The `handler` export of a function module (path relative to the repository), imported in-process as
 * the local platform plays Lambda. Node caches the module, so every caller shares one "container".
 */
export async function loadHandler<E, R>(repoRoot: string, entry: string): Promise<(event: E) => Promise<R>> {
  const module = (await import(pathToFileURL(resolve(repoRoot, entry)).href)) as { handler?: (event: E) => Promise<R> };
  if (typeof module.handler !== 'function') throw new Error(`${entry} does not export a handler`);
  return module.handler;
}
