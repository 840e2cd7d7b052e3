import { dynamoRoundTrips } from '#shared/data/client';
import { loadHttpSequence, type Measurement } from './lib.ts';
import { benchToken } from './login.ts';

export interface CaseBenchRow extends Measurement {
  roundTripsPerRequest: number;
}

/**
 * Report, get-case, my-cases and dispatch through the gateway, one client, counting DynamoDB requests
 * per operation (the gateway and the handlers share this process, so the client counter sees them).
 */
export async function benchCases(baseUrl: string, count: number): Promise<CaseBenchRow[]> {
  const supervisor = await benchToken(baseUrl, '+8613800000003');
  const agent = await benchToken(baseUrl, '+8613800000002');
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { case: { id: string } };
  };
  const ids: string[] = [];
  const rows: CaseBenchRow[] = [];
  const measure = async (name: string, step: (i: number) => Promise<void>, between?: (i: number) => Promise<unknown>) => {
    let counted = 0;
    const result = await loadHttpSequence(name, Array.from({ length: count }, (_, i) => i), async (i) => {
      const start = dynamoRoundTrips();
      await step(i);
      counted += dynamoRoundTrips() - start;
    }, between);
    rows.push({ ...result, roundTripsPerRequest: counted / count });
  };

  const report = (i: number) => call(supervisor, 'POST', '/v1/cases', { description: `压测案件 ${i}：沿街晾挂`, location: { lat: 26.879, lng: 112.613 } });
  await report(-1); // warm-up
  await measure('POST /v1/cases (report)', async (i) => void ids.push((await report(i)).case.id));
  await measure('GET /v1/cases/{id}', async (i) => void (await call(supervisor, 'GET', `/v1/cases/${ids[i]}`)));
  await measure('GET /v1/me/cases', async () => void (await call(supervisor, 'GET', '/v1/me/cases?limit=20')));
  for (const id of ids) await call(agent, 'POST', `/v1/cases/${id}/file`, { categoryCode: 'E0503' });
  await measure('POST /v1/cases/{id}/dispatch', async (i) => void (await call(agent, 'POST', `/v1/cases/${ids[i]}/dispatch`, {})));
  return rows;
}
