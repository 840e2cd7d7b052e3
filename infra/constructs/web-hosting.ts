import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, Token, Validations, type CfnElement } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { contentSecurityPolicy, type WebApp } from '#infra/web-apps';

export interface WebHostingProps {
  /** The web apps to serve, each under its prefix (`/console/`, `/m/`). */
  apps: WebApp[];
  /** Delete the buckets with the stack (not in production). */
  retain: boolean;
  /** The API's custom domain (`-c apiUrl=`), when it has one; otherwise the stack's execute-api URL. */
  apiUrl?: string | undefined;
  /** The base map's tile template (`-c mapTileUrl=`), when there is one. */
  tileUrl?: string | undefined;
}

/**
 * The staff console (and the other web apps) in the cloud: a private bucket that only this CloudFront
 * distribution can read (Origin Access Control), HTTPS only, security headers, and a viewer-request
 * function that answers each app's `index.html` for its client-side routes (SPA fallback per prefix).
 * Nothing of the apps goes into any Lambda bundle: they are static files here.
 */
export class WebHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://dxxxx.cloudfront.net` — add it to the API's CORS origins. */
  readonly origin: string;

  constructor(scope: Construct, id: string, private readonly props: WebHostingProps) {
    super(scope, id);
    const removal = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // CloudFront standard logs and the site bucket's access logs; CloudFront writes with ACLs.
    const logs = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      removalPolicy: removal,
      autoDeleteObjects: !props.retain,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    Validations.of(logs).acknowledge({ id: 'AwsSolutions::AwsSolutions-S1', reason: 'This is the access-log bucket itself; logging it into itself would loop.' });

    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      removalPolicy: removal,
      autoDeleteObjects: !props.retain,
    });

    const spaFallback = new cloudfront.Function(this, 'SpaFallback', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Client-side routes of each web app get its index.html',
      code: cloudfront.FunctionCode.fromInline(spaFallbackCode(props.apps)),
    });

    // The Content-Security-Policy header cannot name this stack's API and photo bucket: both list this
    // distribution's origin in their CORS rules, so naming them here would be a circular dependency. It
    // names their services in this region (or the API's custom domain); every published index.html then
    // carries a <meta> policy with the exact API and bucket, written at deploy time (publish()). The
    // browser enforces both, so only the exact origins pass; framing is refused by the header.
    const stack = Stack.of(this);
    const headerPolicy = contentSecurityPolicy({
      apiUrl: props.apiUrl ?? `https://*.execute-api.${stack.region}.${stack.urlSuffix}`,
      photoOrigin: `https://*.s3.${stack.region}.${stack.urlSuffix}`,
      tileUrl: props.tileUrl,
    });
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'CityGrid web apps: Content-Security-Policy and the usual security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: headerPolicy, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: false, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'CityGrid web apps (staff console, citizens mobile page, field app)',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: spaFallback, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;

    const acknowledge = (finding: string, reason: string) => Validations.of(this.distribution).acknowledge({ id: `AwsSolutions::${finding}`, reason });
    acknowledge('AwsSolutions-CFR1', 'The console is for city staff who may work from anywhere; access is controlled by login, not by country.');
    acknowledge('AwsSolutions-CFR2', 'Static files only (no API behind this distribution); the API has its own throttling. A city may attach its WAF web ACL.');
    acknowledge('AwsSolutions-CFR4', 'The default *.cloudfront.net certificate allows TLSv1 in the viewer policy; a city domain with an ACM certificate should set TLSv1.2_2021 with it.');
    new CfnOutput(this, 'Url', { value: `${this.origin}${props.apps[0]?.prefix ?? '/'}`, description: 'The staff console' });
  }

  /**
   * Uploads an app's build under its prefix with a `config.json` next to its `index.html` telling it the
   * API's URL, and that `index.html` with a <meta> Content-Security-Policy naming the exact API and photo
   * bucket (deploy-time values), then invalidates the files that are not content-hashed.
   */
  publish(app: WebApp, siteDir: string, config: { apiBaseUrl: string; socketUrl?: string | undefined; tileUrl?: string | undefined; photoOrigin: string }): s3deploy.BucketDeployment {
    const keyPrefix = app.prefix.replace(/^\//, '');
    const policy = contentSecurityPolicy({ apiUrl: config.apiBaseUrl, socketUrl: config.socketUrl, photoOrigin: config.photoOrigin, tileUrl: config.tileUrl }, 'meta');
    const deployment = new s3deploy.BucketDeployment(this, `Publish${app.name.charAt(0).toUpperCase()}${app.name.slice(1)}`, {
      destinationBucket: this.bucket,
      destinationKeyPrefix: keyPrefix,
      sources: [
        s3deploy.Source.asset(siteDir, { exclude: ['index.html'] }),
        s3deploy.Source.data('index.html', withPolicyMeta(readFileSync(join(siteDir, 'index.html'), 'utf8'), policy)),
        s3deploy.Source.jsonData('config.json', { apiBaseUrl: config.apiBaseUrl, tileUrl: config.tileUrl ?? '', tileAttribution: '' }),
      ],
      distribution: this.distribution,
      // Files without a content hash in their name: a PWA's service worker and manifest too, when the app has them.
      distributionPaths: [`${app.prefix}index.html`, `${app.prefix}config.json`, ...['sw.js', 'manifest.webmanifest'].filter((f) => existsSync(join(siteDir, f))).map((f) => `${app.prefix}${f}`)],
      prune: true,
      memoryLimit: 512,
    });
    // The copying function is CDK's own singleton at stack level: it reads the CDK asset bucket and
    // writes this site bucket only (its runtime and basic role are acknowledged stack-wide in nag.ts).
    const stack = Stack.of(this);
    const siteArn = stack.getLogicalId(this.bucket.node.defaultChild as CfnElement);
    // The asset bucket's name carries the account and region: as tokens, or as given when the stack's
    // environment is pinned (`-c region=…`, or the CDK CLI's CDK_DEFAULT_REGION/ACCOUNT).
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    for (const resource of [`<${siteArn}.Arn>/*`, `arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${account}-${region}/*`]) {
      Validations.of(stack).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`,
        reason: 'CDK BucketDeployment copies the console build from the CDK asset bucket into the site bucket: object wildcards of those two buckets only.',
      });
    }
    return deployment;
  }
}

/**
 * The built index.html with the policy in its <head> before any script or style sheet: right after the
 * charset declaration (which must stay within the first 1024 bytes), or first in <head>.
 */
export function withPolicyMeta(html: string, policy: string): string {
  const escaped = policy.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const meta = `<meta http-equiv="Content-Security-Policy" content="${escaped}">`;
  // A page without <head> tags still gets one: the parser opens it for the first <meta>.
  const anchor = [/<meta\s+charset=[^>]*>/i, /<head(\s[^>]*)?>/i, /<!doctype html>/i].find((pattern) => pattern.test(html));
  return anchor ? html.replace(anchor, (found) => `${found}${meta}`) : `${meta}${html}`;
}

/** The viewer-request function: `/console/cases/1` → `/console/index.html`; `/console` → `/console/`. */
export function spaFallbackCode(apps: WebApp[]): string {
  const prefixes = JSON.stringify(apps.map((a) => a.prefix));
  return `var PREFIXES = ${prefixes};
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/') return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: PREFIXES[0] } } };
  for (var i = 0; i < PREFIXES.length; i++) {
    var prefix = PREFIXES[i];
    if (uri + '/' === prefix) return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: prefix } } };
    if (uri.startsWith(prefix)) {
      var rest = uri.slice(prefix.length);
      if (rest === '' || rest.indexOf('.') === -1) request.uri = prefix + 'index.html';
      return request;
    }
  }
  return request;
}`;
}
