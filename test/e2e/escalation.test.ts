import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESCALATION_STATES } from '#infra/constructs/escalation';
import { loginAs } from '../support/auth.ts';
import { jpegWithGps, uploadPhoto } from '../support/photos.ts';
import { callAs, startTestPlatform } from '../support/platform.ts';

/**
 * Deadline timers on the local platform: the event processor (fed by the stream poller) starts the
 * escalation state machine synthesized from the CDK construct; the waits before the warning and the
 * deadline are shortened through aws-local-stepfunctions' overrides (the definition is unchanged; the
 * wait between later escalations keeps its real, hours-long timestamp).
 */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const CITIZEN = '+8613900001234';
const PEOPLE = { agent: '+8613800000002', districtDispatcher: '+8613800000005', handler: '+8613800000007' } as const;
const tokens: Record<string, { token: string; id: string }> = {};

beforeAll(async () => {
  platform = await startTestPlatform({
    escalationWaitOverrides: { [ESCALATION_STATES.waitForWarning]: 1500, [ESCALATION_STATES.waitForDeadline]: 1500 },
  });
  for (const [who, phone] of Object.entries(PEOPLE)) {
    const session = await loginAs(platform.url, phone);
    tokens[who] = { token: session.accessToken, id: session.user.id };
  }
  const citizen = await loginAs(platform.url, CITIZEN, 'register');
  tokens.citizen = { token: citizen.accessToken, id: citizen.user.id };
});
afterAll(async () => platform?.stop());

const call = callAs(() => platform, tokens);

const outboxTo = async (phone: string) =>
  ((await platform.api('/dev/outbox?limit=100')).json.items as Array<{ channel: string; destination: string; body: string }>).filter((m) => m.destination === phone);

const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** A citizen's report, filed as 沿街晾挂 (1 working day) and dispatched to the street brigade's handler. */
async function dispatchedCase(description: string) {
  const reported = await call('citizen', 'POST', '/v1/cases', { description, location: { lat: 26.879, lng: 112.613 } });
  expect(reported.status).toBe(201);
  const id = reported.json.case.id as string;
  expect((await call('agent', 'POST', `/v1/cases/${id}/file`, { categoryCode: 'E0503' })).status).toBe(200);
  const dispatched = await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: tokens.handler!.id });
  expect(dispatched.status).toBe(200);
  return { id, timerName: `${id}-3`, caseNumberLabel: dispatched.json.case.caseNumberLabel as string };
}

describe('deadline escalation on the local platform', () => {
  it('warns, then escalates a case nobody handles: overdue, level 1, the parent department told', async () => {
    const { id, timerName, caseNumberLabel } = await dispatchedCase('人行道上晾晒被褥，无人处理');

    const timeline = await waitFor('the escalate event', async () => {
      const detail = await call('agent', 'GET', `/v1/cases/${id}`);
      return detail.json.timeline.some((e: { action: string }) => e.action === 'escalate') ? detail.json : undefined;
    });
    const system = timeline.timeline.filter((e: { actor: { role: string } }) => e.actor.role === 'system');
    expect(system.map((e: { action: string }) => e.action)).toEqual(['warn', 'escalate']);
    expect(system[0]).toMatchObject({ toStatus: 'dispatched', departmentId: 'yanfeng-street-brigade', actor: { id: 'system', displayName: '系统（时限监控）' } });
    // Escalated one level up: the district bureau (and the center, through case-events).
    expect(system[1]).toMatchObject({ toStatus: 'dispatched', departmentId: 'yanfeng-district-bureau', escalationLevel: 1 });
    expect(timeline.case).toMatchObject({ status: 'dispatched', overdue: true, escalationLevel: 1 });

    await platform.settle();
    // The handler was warned; the district bureau's dispatcher got the escalation; the citizen heard it was filed.
    expect((await outboxTo(PEOPLE.handler)).map((m) => m.body)).toContainEqual(expect.stringContaining(`案件${caseNumberLabel}临近处置时限`));
    expect((await outboxTo(PEOPLE.districtDispatcher)).map((m) => m.body)).toContainEqual(expect.stringContaining(`超期升级：案件${caseNumberLabel}已超过处置时限（第1级）`));
    expect((await outboxTo(CITIZEN)).map((m) => m.body)).toContainEqual(expect.stringContaining(`已受理立案，案件编号${caseNumberLabel}`));
    // The escalation was published to case-events for the center's console.
    const topic = ((await platform.api('/dev/outbox?limit=100')).json.items as Array<{ channel: string; body: string }>).filter((m) => m.channel === 'topic').map((m) => JSON.parse(m.body));
    expect(topic).toContainEqual(expect.objectContaining({ caseId: id, action: 'escalate', escalationLevel: 1, channel: 'app' }));

    // 超期升级 counts in the statistics: for the city today and for the brigade that let the deadline pass.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await call('agent', 'GET', `/v1/stats/summary?from=${today}&to=${today}`)).json).toMatchObject({ escalated: 1 });
    const departments = (await call('agent', 'GET', `/v1/stats/departments?from=${today}&to=${today}`)).json.items;
    expect(departments.find((d: { departmentId: string }) => d.departmentId === 'yanfeng-street-brigade')).toMatchObject({ escalated: 1 });

    // The execution now waits for the next escalation interval (not shortened): still running.
    const execution = platform.stepFunctions.executions.get(timerName)!;
    expect(execution.status).toBe('RUNNING');
    expect(execution.states).toEqual(['Plan', 'Route', 'WaitForWarning', 'Warn', 'Route', 'WaitForDeadline', 'Escalate', 'Route', 'WaitForNextEscalation']);
  });

  it('ends the timer of a case handled before its deadline, without warning or escalating', async () => {
    // The after photo is ready before the dispatch, so completing takes well under the 1.5 s to the warning.
    const after = await uploadPhoto(platform, tokens.handler!.token, 'after', await jpegWithGps());
    const { id, timerName } = await dispatchedCase('店外占道堆放杂物');
    // The timer is waiting for the warning when the handler reports it done …
    const execution = await waitFor('the timer waiting for the warning', async () => {
      const e = platform.stepFunctions.executions.get(timerName);
      return e?.states.includes(ESCALATION_STATES.waitForWarning) ? e : undefined;
    });
    expect((await call('handler', 'POST', `/v1/cases/${id}/complete`, { photoKeys: [after.photoKey] })).status).toBe(200);

    // … and ends at its next check, without a warning.
    await execution.done;
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual(['Plan', 'Route', 'WaitForWarning', 'Warn', 'Route', 'Ended']);
    const detail = await call('agent', 'GET', `/v1/cases/${id}`);
    expect(detail.json.timeline.map((e: { action: string }) => e.action)).toEqual(['report', 'file', 'dispatch', 'complete']);
    expect(detail.json.case).toMatchObject({ status: 'handled', overdue: false, escalationLevel: 0 });
  });
});
