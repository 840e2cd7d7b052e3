import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { loadAuthKeys } from '#shared/adapters/secrets';

/**
 * Deploy-time custom resource: reads the auth secret and returns the PUBLIC half of the token key, which
 * the stack hands to every authenticated function as `AUTH_PUBLIC_JWK`. Only this function and the
 * auth functions may read the secret. Re-run (redeploy with a new `rotation` property) after rotating it.
 */
export async function handler(event: CloudFormationCustomResourceEvent) {
  const PhysicalResourceId = 'citygrid-auth-public-key';
  if (event.RequestType === 'Delete') return { PhysicalResourceId };
  const keys = await loadAuthKeys({ AUTH_SECRET_ARN: process.env.AUTH_SECRET_ARN, AWS_REGION: process.env.AWS_REGION ?? 'us-east-1' });
  return { PhysicalResourceId, Data: { publicJwk: JSON.stringify(keys.publicJwk) } };
}
