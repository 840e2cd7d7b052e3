import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../support/auth.ts';
import { jpegWithGps, uploadPhoto } from '../support/photos.ts';
import { callAs, startTestPlatform } from '../support/platform.ts';

/**
 * Field checks on the local platform: 核实 of a new report reaches the grid's supervisor (SMS and their
 * task list), only that supervisor answers, the answer shows on the case for staff only; a 核查
 * before closing; cancellation by the decision a check was to inform.
 */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const tokens: Record<string, { token: string; id: string }> = {};
const PHONES = { agent: '+8613800000002', supervisor: '+8613800000003', handler: '+8613800000007', leader: '+8613800000008', citizen: '+8613900004001' };

beforeAll(async () => {
  platform = await startTestPlatform();
  for (const [who, phone] of Object.entries(PHONES)) {
    const session = await loginAs(platform.url, phone, who === 'citizen' ? 'register' : 'login');
    tokens[who] = { token: session.accessToken, id: session.user.id };
  }
});
afterAll(async () => platform?.stop());

const call = callAs(() => platform, tokens);

async function report(): Promise<string> {
  const response = await call('citizen', 'POST', '/v1/cases', { description: '小区门口路灯不亮已经一周', location: { lat: 26.879, lng: 112.613 } });
  expect(response.status).toBe(201);
  return response.json.case.id;
}

const smsTo = async (phone: string) =>
  ((await platform.api('/dev/outbox?limit=100')).json.items as Array<{ channel: string; destination: string; body: string }>).filter((m) => m.channel === 'sms' && m.destination === phone).map((m) => m.body);

describe('field checks by supervisors (核实 · 核查)', () => {
  it('sends a 核实 to the grid\'s supervisor, who alone answers; the answer is on the case for staff, never for the reporter', async () => {
    const caseId = await report();
    const requested = await call('agent', 'POST', `/v1/cases/${caseId}/field-checks`, { kind: 'verify-report', note: '请核实路灯位置' });
    expect(requested.status).toBe(201);
    expect(requested.json.case.status).toBe('reported'); // checks never change the status
    expect(requested.json.case.fieldCheck).toMatchObject({ kind: 'verify-report', supervisorId: tokens.supervisor!.id, dueAt: expect.any(String) });
    // One open check per case.
    expect((await call('agent', 'POST', `/v1/cases/${caseId}/field-checks`, { kind: 'verify-report' })).status).toBe(409);
    // 核查 is for handled cases.
    expect((await call('agent', 'POST', `/v1/cases/${(await report())}/field-checks`, { kind: 'check-result' })).status).toBe(409);

    await platform.settle();
    expect(await smsTo(PHONES.supervisor)).toContainEqual(expect.stringMatching(/核实任务：.*前到现场核实/));
    const tasks = await call('supervisor', 'GET', '/v1/me/tasks');
    expect(tasks.status).toBe(200);
    expect(tasks.json.items).toContainEqual(expect.objectContaining({ caseId, kind: 'verify-report', case: expect.objectContaining({ id: caseId }) }));

    // Only the assigned supervisor answers.
    expect((await call('agent', 'POST', `/v1/cases/${caseId}/field-checks/answer`, { confirmed: true })).status).toBe(403);
    const photo = await uploadPhoto(platform, tokens.supervisor!.token, 'before', await jpegWithGps());
    const answered = await call('supervisor', 'POST', `/v1/cases/${caseId}/field-checks/answer`, { confirmed: true, note: '现场确有路灯不亮', photoKeys: [photo.photoKey] });
    expect(answered.status).toBe(200);
    expect(answered.json.case.fieldCheck.answer).toMatchObject({ confirmed: true, note: '现场确有路灯不亮', photoKeys: [photo.photoKey], late: false });
    expect((await call('supervisor', 'POST', `/v1/cases/${caseId}/field-checks/answer`, { confirmed: false })).status).toBe(409);
    expect((await call('supervisor', 'GET', '/v1/me/tasks')).json.items.map((t: any) => t.caseId)).not.toContain(caseId);

    const staffView = await call('agent', 'GET', `/v1/cases/${caseId}`);
    expect(staffView.json.case.fieldCheck.answer.confirmed).toBe(true);
    expect(staffView.json.timeline.map((e: any) => e.action)).toEqual(['report', 'field-check', 'field-check-answer']);
    const reporterView = await call('citizen', 'GET', `/v1/cases/${caseId}`);
    expect(reporterView.json.case.fieldCheck).toBeUndefined();
    expect(reporterView.json.timeline.map((e: any) => e.action)).toEqual(['report']);
    expect(JSON.stringify(reporterView.json)).not.toContain(photo.photoKey);
  });

  it('asks for a 核查 of a handled case before closing; verifying cancels an open one', async () => {
    const caseId = await report();
    expect((await call('agent', 'POST', `/v1/cases/${caseId}/file`, { categoryCode: 'E0107' })).status).toBe(200);
    expect((await call('agent', 'POST', `/v1/cases/${caseId}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: tokens.handler!.id })).status).toBe(200);
    const after = await uploadPhoto(platform, tokens.handler!.token, 'after', await jpegWithGps());
    expect((await call('handler', 'POST', `/v1/cases/${caseId}/complete`, { photoKeys: [after.photoKey] })).status).toBe(200);

    const requested = await call('agent', 'POST', `/v1/cases/${caseId}/field-checks`, { kind: 'check-result', supervisorId: tokens.supervisor!.id });
    expect(requested.status).toBe(201);
    expect(requested.json.case.fieldCheck.kind).toBe('check-result');
    expect(Date.parse(requested.json.case.fieldCheck.dueAt)).toBeGreaterThan(Date.now());
    const answered = await call('supervisor', 'POST', `/v1/cases/${caseId}/field-checks/answer`, { confirmed: true, note: '已修复' });
    expect(answered.json.case.status).toBe('handled');
    expect((await call('agent', 'POST', `/v1/cases/${caseId}/verify`, { approved: true })).json.case.status).toBe('closed');

    // A 核实 cancelled by filing: it leaves the task list and can no longer be answered.
    const other = await report();
    expect((await call('agent', 'POST', `/v1/cases/${other}/field-checks`, { kind: 'verify-report' })).status).toBe(201);
    expect((await call('agent', 'POST', `/v1/cases/${other}/file`, { categoryCode: 'E0107' })).json.case.fieldCheck.cancelledAt).toEqual(expect.any(String));
    expect((await call('supervisor', 'GET', '/v1/me/tasks')).json.items.map((t: any) => t.caseId)).not.toContain(other);
    expect((await call('supervisor', 'POST', `/v1/cases/${other}/field-checks/answer`, { confirmed: true })).status).toBe(409);
  });
});
