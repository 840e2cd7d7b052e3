import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { REPO_ROOT } from '#infra/local/platform';
import { CityGridStack } from '#infra/stacks/citygrid-stack';

/** Synthesises the stack once per file, without bundling (assertions read the template, not code). */
export function synthTemplate(stage = 'test') {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CityGridStack(app, `CityGrid-${stage}`, { stage, repoRoot: REPO_ROOT, corsOrigins: ['https://console.example'] });
  return { stack, template: Template.fromStack(stack) };
}
