import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { freePort } from '#infra/local/ports';
import { startPlatform, type Platform, type PlatformOptions } from '#infra/local/platform';

/**
 * The local platform on free ports, over the run's shared DynamoDB Local with a table of its own.
 * One per e2e file: handlers read their configuration once per module graph, as in a Lambda container.
 */
export async function startTestPlatform(options: Partial<PlatformOptions> = {}): Promise<Platform & { api: (path: string, init?: RequestInit) => Promise<{ status: number; headers: Headers; json: any }> }> {
  const platform = await startPlatform({
    port: 0,
    dynamoPort: 0,
    s3Port: await freePort(),
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `e2e-${randomUUID()}`,
    // Short auth caches so that "a disabled account (an ended session) stops working" is observable within a test.
    ...options,
    // Quotas far above what a test file reports (the quota tests set their own small limits).
    env: { AUTH_USER_CACHE_SECONDS: '1', SESSION_CHECK_SECONDS: '1', REPORT_QUOTA_HOURLY: '1000', REPORT_QUOTA_DAILY: '1000', UPLOAD_QUOTA_HOURLY: '1000', UPLOAD_QUOTA_DAILY: '1000', ...options.env },
  });
  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${platform.url}${path}`, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
  };
  return Object.assign(platform, { api });
}

/**
 * `call(who, method, path, body?)`: a request to the test platform as the person `who` (their access
 * token from `tokens`, filled in `beforeAll`), with a JSON body when one is given.
 */
export function callAs(platform: () => { api: (path: string, init?: RequestInit) => Promise<{ status: number; headers: Headers; json: any }> }, tokens: Record<string, { token: string }>) {
  return (who: string, method: string, path: string, body?: unknown) =>
    platform().api(path, {
      method,
      headers: { authorization: `Bearer ${tokens[who]!.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
}
