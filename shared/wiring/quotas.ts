import { getConfig } from '#shared/config/index';
import { getTable } from '#shared/data/db';
import { createQuotaCounter } from '#shared/data/quota-store';
import type { QuotaCounter, QuotaPolicy } from '#shared/domain/quotas';

let quotas: { counter: QuotaCounter; policy: QuotaPolicy } | undefined;

/** The quota counters and the configured limits (REPORT_QUOTA_*, UPLOAD_QUOTA_*), built once. */
export function getQuotas() {
  if (!quotas) {
    const config = getConfig();
    quotas = {
      counter: createQuotaCounter(getTable()),
      policy: {
        report: [
          { window: 'hour', max: config.REPORT_QUOTA_HOURLY },
          { window: 'day', max: config.REPORT_QUOTA_DAILY },
        ],
        upload: [
          { window: 'hour', max: config.UPLOAD_QUOTA_HOURLY },
          { window: 'day', max: config.UPLOAD_QUOTA_DAILY },
        ],
      },
    };
  }
  return quotas;
}
