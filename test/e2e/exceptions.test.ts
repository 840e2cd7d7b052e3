import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESCALATION_STATES } from '#infra/constructs/escalation';
import { loginAs } from '../support/auth.ts';
import { callAs, startTestPlatform } from '../support/platform.ts';

/**
 * The exception paths over HTTP on the local platform (延期 · 挂账 · 作废 · 督办 · 紧急): routes, roles,
 * the deadline timer re-planned by an extension and stopped/restarted by a suspension and a resume
 * (waits before the warning and the deadline shortened as in the escalation tests), the SMS and topic
 * messages in `/dev/outbox`, and parallel decisions.
 */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const CITIZEN = '+8613900005678';
const PEOPLE = {
  agent: '+8613800000002',
  cityDispatcher: '+8613800000004',
  districtDispatcher: '+8613800000005',
  brigadeDispatcher: '+8613800000006',
  handler: '+8613800000007',
  leader: '+8613800000008',
} as const;
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

const outbox = async () => (await platform.api('/dev/outbox?limit=100')).json.items as Array<{ channel: string; destination: string; body: string }>;
const outboxTo = async (phone: string) => (await outbox()).filter((m) => m.destination === phone).map((m) => m.body);

const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
const timeline = async (id: string) => (await call('agent', 'GET', `/v1/cases/${id}`)).json.timeline as Array<{ action: string; seq: number }>;
/** The actions from the last `from` event on (the dispatch's timer may have warned before it: the machine is shared). */
const actionsFrom = async (id: string, from: string) => {
  const actions = (await timeline(id)).map((e) => e.action);
  return actions.slice(actions.lastIndexOf(from));
};
const seqOf = async (id: string, action: string) => (await timeline(id)).findLast((e) => e.action === action)!.seq;
const execution = (id: string, seq: number) => waitFor(`timer ${id}-${seq}`, async () => platform.stepFunctions.executions.get(`${id}-${seq}`));
const ended = (id: string, seq: number) => waitFor(`timer ${id}-${seq} to end`, async () => (platform.stepFunctions.executions.get(`${id}-${seq}`)?.states.includes(ESCALATION_STATES.ended) ? true : undefined));

/** A citizen's report filed as `categoryCode` (normal or urgent) and dispatched to the brigade's handler (timer `{id}-3`). */
async function dispatchedCase(description: string, categoryCode = 'E0503', priority?: 'urgent') {
  const reported = await call('citizen', 'POST', '/v1/cases', { description, location: { lat: 26.879, lng: 112.613 } });
  expect(reported.status).toBe(201);
  const id = reported.json.case.id as string;
  const filed = await call('agent', 'POST', `/v1/cases/${id}/file`, { categoryCode, ...(priority ? { priority } : {}) });
  expect(filed.status).toBe(200);
  const dispatched = await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: tokens.handler!.id });
  expect(dispatched.status).toBe(200);
  return { id, case: dispatched.json.case };
}

describe('延期 extension over HTTP', () => {
  it('asks (201), refuses the requester\'s own decision (403), and on approval moves dueAt and plans a new timer that warns and escalates', async () => {
    const { id, case: before } = await dispatchedCase('门店外长期晾晒衣物');
    const requested = await call('handler', 'POST', `/v1/cases/${id}/requests`, { kind: 'extension', reason: '需协调物业', hours: 7 });
    expect(requested.status).toBe(201);
    expect(requested.json.case.pendingRequest).toMatchObject({ kind: 'extension', hours: 7, requestedBy: { id: tokens.handler!.id, role: 'handler' } });
    expect((await call('handler', 'POST', `/v1/cases/${id}/requests`, { kind: 'suspension', reason: '再申请' })).status).toBe(409);
    expect((await call('handler', 'POST', `/v1/cases/${id}/requests`, { kind: 'extension', reason: '缺少小时数' })).json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'hours' }] });
    // The reporter never sees the pending request.
    expect((await call('citizen', 'GET', `/v1/cases/${id}`)).json.case.pendingRequest).toBeUndefined();
    // The holder's own dispatcher may not decide; the district's (one level above) may.
    expect((await call('brigadeDispatcher', 'POST', `/v1/cases/${id}/requests/decision`, { approved: true })).status).toBe(403);
    const decided = await call('districtDispatcher', 'POST', `/v1/cases/${id}/requests/decision`, { approved: true, note: '同意延期一天' });
    expect(decided.status).toBe(200);
    expect(decided.json.case).toMatchObject({ status: 'dispatched', extensionCount: 1, overdue: false });
    expect(Date.parse(decided.json.case.dueAt)).toBeGreaterThan(Date.parse(before.dueAt));

    // The dispatch's timer ends at its next check; the extension's own timer warns and escalates.
    await ended(id, 3);
    const fresh = await execution(id, await seqOf(id, 'extend'));
    await waitFor('the escalation after the extension', async () => ((await actionsFrom(id, 'extend')).includes('escalate') ? true : undefined));
    expect(await actionsFrom(id, 'extend')).toEqual(['extend', 'warn', 'escalate']);
    expect(fresh.states).toContain(ESCALATION_STATES.escalate);
  });
});

describe('挂账 suspension and 恢复 resume over HTTP', () => {
  it('stops the timer while suspended (no warning, never overdue) and starts it again on resume', async () => {
    const { id } = await dispatchedCase('小区门口堆放建筑材料');
    expect((await call('brigadeDispatcher', 'POST', `/v1/cases/${id}/requests`, { kind: 'suspension', reason: '待区财政审批' })).status).toBe(201);
    const suspended = await call('leader', 'POST', `/v1/cases/${id}/requests/decision`, { approved: true });
    expect(suspended.json.case).toMatchObject({ status: 'suspended', overdue: false });
    await ended(id, 3);
    expect(await actionsFrom(id, 'suspend')).toEqual(['suspend']); // nothing after it: no warning, no escalation
    // The queue filters suspended cases.
    const queue = await call('agent', 'GET', '/v1/cases?status=suspended&limit=100');
    expect(queue.json.items.map((c: { id: string }) => c.id)).toContain(id);
    // Only agents and leaders resume.
    expect((await call('handler', 'POST', `/v1/cases/${id}/resume`, {})).status).toBe(403);
    const resumed = await call('agent', 'POST', `/v1/cases/${id}/resume`, { note: '资金到位' });
    expect(resumed.json.case).toMatchObject({ status: 'dispatched' });
    const restarted = await execution(id, await seqOf(id, 'resume'));
    await waitFor('the warning after the resume', async () => ((await actionsFrom(id, 'resume')).includes('warn') ? true : undefined));
    expect(restarted.states).toContain(ESCALATION_STATES.warn);
  });
});

describe('作废 void and 督办 supervision over HTTP', () => {
  it('voids a case on approval and texts the reporter as for a rejection', async () => {
    const { id } = await dispatchedCase('重复反映的同一处垃圾');
    expect((await call('agent', 'POST', `/v1/cases/${id}/requests`, { kind: 'void', reason: '误立案' })).status).toBe(201);
    expect((await call('agent', 'POST', `/v1/cases/${id}/requests/decision`, { approved: true })).status).toBe(403);
    const voided = await call('leader', 'POST', `/v1/cases/${id}/requests/decision`, { approved: true });
    expect(voided.json.case.status).toBe('voided');
    await platform.settle();
    expect(await outboxTo(CITIZEN)).toContainEqual(expect.stringContaining('经核实已作废'));
    expect((await call('leader', 'POST', `/v1/cases/${id}/supervise`, { note: '督办' })).json.error.code).toBe('INVALID_TRANSITION');
  });

  it('supervises: supervisionCount + 1, an SMS to the brigade\'s dispatchers and the handler, an event on the topic, counted in the summary', async () => {
    const { id } = await dispatchedCase('路口占道经营严重');
    expect((await call('handler', 'POST', `/v1/cases/${id}/supervise`, { note: '快' })).status).toBe(403);
    const supervised = await call('leader', 'POST', `/v1/cases/${id}/supervise`, { note: '群众多次反映，请今日处置' });
    expect(supervised.json.case).toMatchObject({ status: 'dispatched', supervisionCount: 1 });
    await platform.settle();
    for (const phone of [PEOPLE.brigadeDispatcher, PEOPLE.handler]) expect(await outboxTo(phone)).toContainEqual(expect.stringContaining('受到领导督办（群众多次反映，请今日处置）'));
    const topic = (await outbox()).filter((m) => m.channel === 'topic').map((m) => JSON.parse(m.body));
    expect(topic).toContainEqual(expect.objectContaining({ caseId: id, action: 'supervise', departmentId: 'yanfeng-street-brigade' }));
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const summary = (await call('leader', 'GET', `/v1/stats/summary?from=${today}&to=${today}`)).json;
    expect(summary).toMatchObject({ supervised: 1, voided: 1, suspended: 1, extended: 1 });
    expect(summary.extensionRate).toBeGreaterThan(0);
  });
});

describe('紧急 urgent cases and races over HTTP', () => {
  it('files an urgent case with a clock-hour deadline and lists it first in the queue', async () => {
    const { id, case: urgent } = await dispatchedCase('井盖丢失，行人有坠落危险', 'C0101', 'urgent');
    expect(urgent.priority).toBe('urgent');
    // 井盖丢失/移位: 2 clock hours from the dispatch, whatever the day and hour.
    expect(Date.parse(urgent.dueAt) - Date.parse(urgent.updatedAt)).toBe(2 * 3600_000);
    const queue = await call('agent', 'GET', '/v1/cases?status=dispatched&limit=100');
    expect(queue.json.items[0]).toMatchObject({ id, priority: 'urgent' });
    expect((await call('agent', 'GET', `/v1/categories`)).json.find((c: { code: string }) => c.code === 'C0101').timeLimit).toEqual({ workingHours: 2, urgentHours: 2 });
  });

  it('lets exactly one of several parallel decisions through; the others get 409', async () => {
    const { id } = await dispatchedCase('广告牌松动有坠落危险');
    expect((await call('handler', 'POST', `/v1/cases/${id}/requests`, { kind: 'extension', reason: '需要吊车', hours: 7 })).status).toBe(201);
    const results = await Promise.all(['agent', 'leader', 'cityDispatcher', 'districtDispatcher', 'agent', 'leader'].map((who) => call(who, 'POST', `/v1/cases/${id}/requests/decision`, { approved: true })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) expect(r.status).toBe(409);
    expect((await timeline(id)).filter((e) => e.action === 'extend')).toHaveLength(1);
  });
});
