import { ESCALATION_STATES } from '#infra/constructs/escalation';
import type { Platform } from '#infra/local/platform';
import type { Measurement } from './lib.ts';
import { benchToken } from './login.ts';

const DISTRICT_DISPATCHER = '+8613800000005';

const summarize = (name: string, samples: number[]): Measurement => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const meanMs = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { name, requests: sorted.length, reqPerSec: 0, meanMs, p50Ms: at(0.5), p99Ms: at(0.99) };
};

/**
 * Deadline escalation on the local platform, waits shortened (WaitForWarning 0 ms, WaitForDeadline
 * 200 ms) through the local Step Functions' overrides. "The deadline" is the moment the execution
 * leaves WaitForDeadline (enters Escalate). Measured per case, one case at a time:
 * - dispatch answered → timer execution started (stream poller → event processor → StartExecution);
 * - deadline → `escalate` event on the timeline (Escalate task: read case, transaction);
 * - deadline → escalation SMS to the district dispatcher in the outbox (stream → processor → SMS).
 */
export async function benchEscalation(platform: Platform, count: number): Promise<Measurement[]> {
  const supervisor = await benchToken(platform.url, '+8613800000003');
  const agent = await benchToken(platform.url, '+8613800000002');
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${platform.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { case: { id: string; caseNumberLabel?: string }; timeline?: Array<{ action: string; at: string }> };
  };
  const outbox = async () => (await (await fetch(`${platform.url}/dev/outbox?limit=50`)).json()) as { items: Array<{ destination: string; body: string; createdAt: string }> };
  const until = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
    for (const stop = Date.now() + 20_000; Date.now() < stop; await new Promise((r) => setTimeout(r, 5))) {
      const value = await probe();
      if (value !== undefined) return value;
    }
    throw new Error('escalation bench: timed out');
  };

  platform.stepFunctions.overrideWaits({ [ESCALATION_STATES.waitForWarning]: 0, [ESCALATION_STATES.waitForDeadline]: 200 });
  const started: number[] = [];
  const recorded: number[] = [];
  const notified: number[] = [];
  try {
    // Case -1 warms up (module loads, the definition's first use) and is not counted.
    for (let i = -1; i < count; i++) {
      const { case: c } = await call(supervisor, 'POST', '/v1/cases', { description: `时限压测 ${i}`, location: { lat: 26.879, lng: 112.613 } });
      const filed = await call(agent, 'POST', `/v1/cases/${c.id}/file`, { categoryCode: 'E0503' });
      await call(agent, 'POST', `/v1/cases/${c.id}/dispatch`, { departmentId: 'yanfeng-street-brigade' });
      const answeredAt = Date.now();
      const execution = await until(async () => platform.stepFunctions.executions.get(`${c.id}-3`));
      const measured = i >= 0;
      if (measured) started.push(execution.startDate.getTime() - answeredAt);
      const escalateAt = await until(async () => {
        const detail = await call(agent, 'GET', `/v1/cases/${c.id}`);
        const event = detail.timeline!.find((e) => e.action === 'escalate');
        return event ? Date.parse(event.at) : undefined;
      });
      const deadline = execution.entered.find((e) => e.state === ESCALATION_STATES.escalate)!.at;
      if (measured) recorded.push(escalateAt - deadline);
      const sms = await until(async () => (await outbox()).items.find((m) => m.destination === DISTRICT_DISPATCHER && m.body.includes(filed.case.caseNumberLabel!)));
      if (measured) notified.push(Date.parse(sms.createdAt) - deadline);
      execution.abort(); // the next escalation would come hours later
    }
  } finally {
    platform.stepFunctions.overrideWaits(undefined);
  }
  return [
    summarize('dispatch answered → timer execution started', started),
    summarize('deadline → escalate event on the timeline', recorded),
    summarize('deadline → escalation SMS in the outbox', notified),
  ];
}
