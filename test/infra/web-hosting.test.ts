import { Match } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeList } from '#shared/contract/index';
import { REPO_ROOT } from '#infra/local/platform';
import { spaFallbackCode } from '#infra/constructs/web-hosting';
import { WEB_APPS } from '#infra/web-apps';
import { synthTemplate } from '../support/stack.ts';

let template: ReturnType<typeof synthTemplate>['template'];
// A synth takes minutes on a loaded shared machine.
beforeAll(() => {
  template = synthTemplate().template;
}, 300_000);

describe('the console in the cloud', () => {
  it('keeps the site bucket private and readable only by its CloudFront distribution (OAC)', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' }),
    });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).map((p) => JSON.stringify(p));
    const sitePolicy = policies.find((p) => p.includes('cloudfront.amazonaws.com'));
    expect(sitePolicy).toContain('AWS:SourceArn');
    expect(sitePolicy).toContain('s3:GetObject');
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })] }),
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
  });

  it('publishes the console under /console/, the mobile page under /m/ and the field app under /field/, each with a config.json holding the API URL', () => {
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    expect(deployments.map((d) => d.Properties.DestinationBucketKeyPrefix).sort()).toEqual(['console/', 'field/', 'm/']);
    for (const deployment of deployments) {
      const prefix = `/${deployment.Properties.DestinationBucketKeyPrefix}`;
      expect(deployment.Properties.DistributionPaths).toEqual([`${prefix}index.html`, `${prefix}config.json`]);
      // The config's apiBaseUrl is this stack's API URL, filled in at deploy time.
      expect(JSON.stringify(deployment.Properties.SourceMarkers)).toContain('ApiHttpApi');
    }
  });

  it('sends a Content-Security-Policy from its own response-headers policy (the managed one has none)', () => {
    const policies = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(policies).toHaveLength(1);
    const config = policies[0]!.Properties.ResponseHeadersPolicyConfig;
    const csp = JSON.stringify(config.SecurityHeadersConfig.ContentSecurityPolicy);
    for (const directive of ["default-src 'self'", "script-src 'self';", "frame-ancestors 'none'", "worker-src 'self'", '.execute-api.', 'wss://*.execute-api.', 'https://*.s3.']) expect(csp).toContain(directive);
    expect(config.SecurityHeadersConfig.ContentSecurityPolicy.Override).toBe(true);
    expect(config.SecurityHeadersConfig.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!;
    expect(distribution.Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: Object.keys(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0] });
  });

  it('publishes each index.html with a <meta> policy naming this stack\'s API and photo bucket exactly', () => {
    for (const deployment of Object.values(template.findResources('Custom::CDKBucketDeployment'))) {
      // The deploy-time values of the sources: the API (config.json and the policy) and the bucket (the policy).
      const markers = JSON.stringify(deployment.Properties.SourceMarkers);
      expect(markers).toContain('ApiHttpApi');
      expect(markers).toMatch(/StatefulPhotos[^"]*","RegionalDomainName"/);
    }
  });

  it('lets the console origin call the API when CORS origins are listed', () => {
    const preflight = Object.values(template.findResources('AWS::ApiGatewayV2::Api'))[0]!.Properties.CorsConfiguration;
    expect(preflight.AllowOrigins[0]).toBe('https://console.example');
    expect(JSON.stringify(preflight.AllowOrigins[1])).toContain('DomainName');
  });
});

describe('the SPA fallback at the edge', () => {
  const run = (uri: string) => {
    // The CloudFront Functions runtime is plain JavaScript: evaluate the same source here.
    const handler = new Function(`${spaFallbackCode(WEB_APPS)}; return handler;`)() as (e: unknown) => { uri?: string; statusCode?: number; headers?: Record<string, { value: string }> };
    return handler({ request: { uri, headers: {} } });
  };

  it('answers index.html for client-side routes and the files themselves for assets', () => {
    expect(run('/console/cases/123').uri).toBe('/console/index.html');
    expect(run('/console/').uri).toBe('/console/index.html');
    expect(run('/console/assets/index-abc.js').uri).toBe('/console/assets/index-abc.js');
    expect(run('/console/config.json').uri).toBe('/console/config.json');
    expect(run('/console').statusCode).toBe(301);
    expect(run('/').headers?.location?.value).toBe('/console/');
  });
});

describe('the console stays out of the functions', () => {
  it('bundles no console code or browser library into any route handler', async () => {
    const entryPoints = [...new Set(routeList().map((r) => r.handler))].map((h) => `${REPO_ROOT}/${h}`);
    const result = await build({
      entryPoints,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      outdir: '/tmp/citygrid-bundle-check',
      external: ['@aws-sdk/*', 'sharp'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.length).toBeGreaterThan(50);
    expect(inputs.filter((path) => /(^|\/)console\/|node_modules\/(vue|@vue|element-plus|echarts|leaflet|vue-router)\//.test(path))).toEqual([]);
  });
});
