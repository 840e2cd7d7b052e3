import { dynamoRoundTrips } from '#shared/data/client';
import type { Measurement } from './lib.ts';
import { benchToken } from './login.ts';

export interface AdminBenchRow extends Measurement {
  roundTrips: number;
}

/**
 * 人员批量导入 through the gateway: 500 new staff in one `POST /v1/admin/staff/batch` (dry run, the
 * import itself, the same rows again: all unchanged), timed whole, with the DynamoDB requests each made
 * (the gateway and the handlers share this process, so the client counter sees them). Goal: ≤ 10 s.
 */
export async function benchStaffImport(baseUrl: string, rows = 500): Promise<AdminBenchRow[]> {
  const admin = await benchToken(baseUrl, '+8613800000001');
  const offset = Math.floor(Math.random() * 9_000_000);
  const items = Array.from({ length: rows }, (_, i) => ({
    phone: `+86137${String(10_000_000 + offset + i).padStart(8, '0')}`,
    displayName: `压测 人员${i}`,
    roles: i % 5 === 0 ? ['supervisor'] : ['handler'],
    departmentId: 'yanfeng-street-brigade',
  }));
  const result: AdminBenchRow[] = [];
  const once = async (name: string, dryRun: boolean, expected: string) => {
    const before = dynamoRoundTrips();
    const t = performance.now();
    const response = await fetch(`${baseUrl}/v1/admin/staff/batch`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ items, dryRun }) });
    const ms = performance.now() - t;
    const body = (await response.json()) as { items: Array<{ outcome: string }> };
    if (response.status !== 200 || body.items.some((i) => i.outcome !== expected)) throw new Error(`${name}: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
    result.push({ name, requests: 1, reqPerSec: 1000 / ms, meanMs: ms, p50Ms: ms, p99Ms: ms, roundTrips: dynamoRoundTrips() - before });
  };
  await once(`${rows} staff, dryRun`, true, 'created');
  await once(`${rows} staff, import`, false, 'created');
  await once(`${rows} staff, the same rows again`, false, 'unchanged');
  return result;
}
