import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLING, LAMBDA_RUNTIME } from '#infra/constructs/city-function';
import { REPO_ROOT } from '#infra/local/platform';

/**
 * The tests and the local platform run on the Lambda runtime's Node major (docs/decisions.md): the
 * `node` dev dependency puts that Node first on npm scripts' PATH (`npm test`, `npm start`, `npm run
 * synth`, `npm run city`, the benches). When the binary is missing (its install script was skipped)
 * or the runtime moves without the dev dependency, the machine's own Node runs everything — this fails.
 */
const lambdaMajor = Number(/^nodejs(\d+)\.x$/.exec(LAMBDA_RUNTIME.name)?.[1]);
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};

describe('runtime parity with Lambda', () => {
  it(`runs the tests on the Lambda runtime's Node major (${LAMBDA_RUNTIME.name})`, () => {
    expect(Number.isInteger(lambdaMajor)).toBe(true);
    console.log(`Node ${process.versions.node} (${process.execPath}); Lambda runtime ${LAMBDA_RUNTIME.name}`);
    expect(Number(process.versions.node.split('.')[0]), `tests run on Node ${process.versions.node}, the functions on ${LAMBDA_RUNTIME.name}: run them through npm (npm test), after npm ci`).toBe(lambdaMajor);
  });

  it('bundles for that major and pins the same major as the dev dependency that provides it', () => {
    expect(BUNDLING.target).toBe(`node${lambdaMajor}`);
    // Exact pin (no range): every machine runs the same Node.
    expect(pkg.devDependencies.node).toMatch(new RegExp(`^${lambdaMajor}\\.\\d+\\.\\d+$`));
    // npm 11 runs a dependency's install script only when allowed: the `node` package's preinstall fetches the binary.
    expect(pkg.allowScripts?.node).toBe(true);
    expect(pkg.engines.node).toBe(`>=${lambdaMajor}`);
  });
});
