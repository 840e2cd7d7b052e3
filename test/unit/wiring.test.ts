import { afterEach, describe, expect, it, vi } from 'vitest';

// Functions get only the environment their route needs (infra/constructs/api.ts): a case route without
// the photo bucket must still start.
describe('function wiring', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('builds the case use cases without PHOTO_BUCKET (only viewing photos needs the bucket)', async () => {
    vi.stubEnv('TABLE_NAME', 'citygrid-test');
    vi.stubEnv('AUTH_SECRET', 'x'.repeat(48));
    vi.stubEnv('PHOTO_BUCKET', undefined);
    vi.stubEnv('MESSAGE_TRANSPORT', 'outbox');
    const { getCaseDeps } = await import('#shared/wiring/cases');
    const deps = await getCaseDeps();
    expect(deps.photos.store).toBeDefined();
    const { photoViewer } = await import('#shared/wiring/photo-views');
    await expect(photoViewer.presignView('clean/x', 60)).rejects.toThrow(/PHOTO_BUCKET/);
  });
});
