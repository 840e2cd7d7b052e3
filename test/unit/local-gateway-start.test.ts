import { afterAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { routeList } from '#shared/contract/index';
import { createGateway, listen } from '#infra/local/gateway';
import { REPO_ROOT } from '#infra/local/platform';

/** `npm start` listens before the demo city is loaded: until it is ready, every request is a 503 the client may retry. */
describe('the local gateway while the platform starts', () => {
  let server: Server | undefined;
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('answers 503 BUSY with Retry-After in the contract shape until opened, then serves', async () => {
    const gateway = createGateway(routeList(), { repoRoot: REPO_ROOT, startClosed: true });
    const listening = await listen(gateway, 0);
    server = listening.server;
    const early = await fetch(`${listening.url}/v1/health`);
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('1');
    expect(((await early.json()) as { error: unknown }).error).toMatchObject({ code: 'BUSY', message: '平台正在启动，请稍后再试' });
    gateway.open();
    expect((await fetch(`${listening.url}/v1/health`)).status).toBe(200);
  });
});
