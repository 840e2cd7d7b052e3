import { describe, expect, it } from 'vitest';
import { withPolicyMeta } from '#infra/constructs/web-hosting';
import { contentSecurityPolicy, webAppHeaders } from '#infra/web-apps';

/** `directive → sources` of a policy. */
const directives = (policy: string) => new Map(policy.split('; ').map((part) => [part.split(' ')[0]!, part.split(' ').slice(1)] as const));

describe('the Content-Security-Policy of the web apps', () => {
  const cloud = directives(
    contentSecurityPolicy({
      apiUrl: 'https://api.city.gov.cn/',
      photoOrigin: 'https://citygrid-photos.s3.ap-east-1.amazonaws.com',
      tileUrl: 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}',
    }),
  );

  it('runs only the apps\' own scripts and allows nothing by default', () => {
    expect(cloud.get('default-src')).toEqual(["'self'"]);
    expect(cloud.get('script-src')).toEqual(["'self'"]);
    expect(cloud.get('style-src-elem')).toEqual(["'self'"]);
    expect(cloud.get('object-src')).toEqual(["'none'"]);
    expect(cloud.get('frame-ancestors')).toEqual(["'none'"]);
    expect(cloud.get('worker-src')).toEqual(["'self'"]);
    expect(cloud.get('font-src')).toEqual(["'self'", 'data:']);
  });

  it('calls only the API, its WebSocket twin and the photo bucket; shows images from the bucket, the tiles, blob: and data:', () => {
    expect(cloud.get('connect-src')).toEqual(["'self'", 'https://api.city.gov.cn', 'wss://api.city.gov.cn', 'https://citygrid-photos.s3.ap-east-1.amazonaws.com']);
    expect(cloud.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'https://citygrid-photos.s3.ap-east-1.amazonaws.com', 'https://*.is.autonavi.com']);
  });

  it('locally: the API on the pages\' own origin, the local bucket (s3rver), no tiles', () => {
    const local = directives(contentSecurityPolicy({ photoOrigin: 'http://127.0.0.1:4569' }));
    expect(local.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:4569']);
    expect(local.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'http://127.0.0.1:4569']);
    expect(webAppHeaders({})['x-frame-options']).toBe('DENY');
  });

  it('keeps CDK tokens in the host as they are (resolved at deploy time)', () => {
    const policy = contentSecurityPolicy({ apiUrl: 'https://${Token[TOKEN.12]}.execute-api.${Token[AWS.Region.4]}.${Token[AWS.URLSuffix.3]}/' });
    expect(directives(policy).get('connect-src')).toContain('wss://${Token[TOKEN.12]}.execute-api.${Token[AWS.Region.4]}.${Token[AWS.URLSuffix.3]}');
  });

  it('refuses URLs it cannot turn into a source', () => {
    expect(() => contentSecurityPolicy({ tileUrl: 'https://tiles.{s}.example.com/{z}/{x}/{y}.png' })).toThrow(/first part/);
    expect(() => contentSecurityPolicy({ apiUrl: 'api.city.gov.cn' })).toThrow(/absolute/);
    expect(() => contentSecurityPolicy({ photoOrigin: "https://x.example; script-src 'unsafe-inline'" })).toThrow(/cannot carry/);
  });

  it('as a <meta> in the published index.html: after the charset, without frame-ancestors (the header says it)', () => {
    const policy = contentSecurityPolicy({ apiUrl: 'https://api.city.gov.cn' }, 'meta');
    expect(policy).not.toContain('frame-ancestors');
    const html = withPolicyMeta('<!doctype html><html><head><meta charset="utf-8" /><title>x</title><script type="module" src="/m/a.js"></script></head></html>', policy);
    expect(html).toMatch(/<meta charset="utf-8" \/><meta http-equiv="Content-Security-Policy" content="default-src 'self'; [^"]+"><title>/);
    expect(withPolicyMeta('<!doctype html><title>x</title>', policy)).toMatch(/^<!doctype html><meta http-equiv/);
  });
});
