import { defineConfig } from 'vitest/config';

/**
 * Four layers (STYLE.md §9): unit (pure), integration (DynamoDB Local, a fresh table per file),
 * infra (CDK Template assertions), e2e (the local platform over HTTP). One DynamoDB Local is started
 * for the whole run by the global setup and always stopped.
 */
const env = {
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
  AWS_REGION: 'us-east-1',
  // Local engines only: DynamoDB Local accepts any key, s3rver checks these fixed ones.
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
};

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    env,
    // Generous: the machines are shared, and a loaded one runs java and the CDK synths several times slower.
    testTimeout: 60_000,
    // The JSON report lets .ci/run print a plain "N passed, N failed" line after vitest's own summary.
    reporters: ['default', ['json', { outputFile: '.data/test-report.json' }]],
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
      // The web pages (console, mobile) in Debian's Chromium (playwright-core); each file builds its page when stale.
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 180_000, expect: { poll: { timeout: 20_000 } } } },
    ],
  },
});
