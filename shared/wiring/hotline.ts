import { getSecretJson } from '#shared/adapters/secrets';
import { randomUUID } from 'node:crypto';
import * as z from '#shared/validation/zod';
import { getConfig } from '#shared/config/index';
import { createCaseStore } from '#shared/data/case-store';
import { getTable } from '#shared/data/db';
import type { HotlineDeps } from '#shared/domain/hotline/use-cases';
import { cachedDepartments, getReferenceCache } from './reference-cache.ts';

// Secrets Manager generates `current` without the `whsec_` prefix; both forms are the same key.
const SecretShape = z.object({ current: z.string().check(z.minLength(24)), previous: z.optional(z.string().check(z.minLength(24))) });
let secrets: Promise<string[]> | undefined;

/** The webhook secrets, current first: from the environment locally, Secrets Manager in the cloud. */
export function getHotlineSecrets(): Promise<string[]> {
  secrets ??= (async () => {
    const config = getConfig();
    if (config.HOTLINE_WEBHOOK_SECRET) return [config.HOTLINE_WEBHOOK_SECRET, config.HOTLINE_WEBHOOK_SECRET_PREVIOUS].filter((s): s is string => Boolean(s));
    if (!config.HOTLINE_SECRET_ARN) throw new Error('No hotline webhook secret configured');
    // A secret stored wrongly (not JSON, fields missing) fails naming the fields, never echoing its value.
    const parsed = await getSecretJson(config.HOTLINE_SECRET_ARN, config.AWS_REGION, SecretShape);
    return [parsed.current, parsed.previous].filter((s): s is string => Boolean(s));
  })();
  secrets.catch(() => (secrets = undefined));
  return secrets;
}

let deps: HotlineDeps | undefined;

export function getHotlineDeps(): HotlineDeps {
  deps ??= { reference: getReferenceCache(), store: createCaseStore(getTable(), cachedDepartments), now: () => new Date(), newId: () => randomUUID() };
  return deps;
}
