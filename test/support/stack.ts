import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { REPO_ROOT } from '#infra/local/platform';
import { CityGridStack } from '#infra/stacks/citygrid-stack';

/** A stand-in console build: the template does not depend on the files, only on the folder existing. */
export function consoleFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'citygrid-console-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  return dir;
}

/** Synthesises the stack once per file, without bundling (assertions read the template, not code). */
export function synthTemplate(stage = 'test') {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CityGridStack(app, `CityGrid-${stage}`, { stage, repoRoot: REPO_ROOT, corsOrigins: ['https://console.example'], consoleDir: consoleFixture(), mobileDir: consoleFixture(), fieldDir: consoleFixture() });
  return { stack, template: Template.fromStack(stack) };
}
