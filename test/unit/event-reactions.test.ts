import { describe, expect, it } from 'vitest';
import type { Case, CaseEvent } from '#shared/domain/cases/model';
import { reactionsTo, type Reactions } from '#shared/domain/events/reactions';
import { renderSms } from '#shared/domain/messaging/sms-templates';
import { callbackId, deliverCallback, retryDelaySeconds, signedCallback } from '#shared/domain/hotline/callbacks';
import { verify } from '#shared/domain/hotline/signature';

const base: Case = {
  id: 'c1',
  caseNumber: '2026-000123',
  status: 'filed',
  channel: 'app',
  description: '井盖缺失',
  reporterId: 'citizen-1',
  dispatchPath: [],
  escalationLevel: 0,
  reworkCount: 0,
  beforePhotoKeys: [],
  afterPhotoKeys: [],
  createdAt: '2026-05-10T01:00:00.000Z',
  updatedAt: '2026-05-10T01:00:00.000Z',
  version: 2,
  eventCount: 2,
};
const event = (changes: Partial<CaseEvent>): CaseEvent => ({
  caseId: 'c1',
  seq: 2,
  at: '2026-05-10T01:10:00.000Z',
  action: 'file',
  fromStatus: 'reported',
  toStatus: 'filed',
  actor: { id: 'agent-1', role: 'agent', displayName: '坐席员 王敏' },
  internal: true,
  ...changes,
});

/** The texts as SNS and the outbox send them (default wording, signature CityGrid). */
const rendered = (sms: Reactions['sms']) => sms.map(({ to, message }) => ({ to, text: renderSms(message, { signature: 'CityGrid' }) }));

describe('what the event processor does about a timeline event', () => {
  it('tells the citizen their report was filed, with the case number and no link', () => {
    const { sms: messages, startTimer } = reactionsTo(base, event({}));
    const sms = rendered(messages);
    expect(startTimer).toBe(false);
    expect(sms).toEqual([{ to: { kind: 'reporter' }, text: '【CityGrid】您5月10日反映的问题已受理立案，案件编号【2026】字第【123】号，我们将尽快派遣处置。' }]);
    expect(sms[0]!.text).not.toMatch(/https?:|www\./);
  });

  it('sends rejection (with the reason) and closing feedback; hotline callers on their number', () => {
    const rejected = reactionsTo({ ...base, status: 'rejected', caseNumber: undefined, rejectReason: '非城管职责范围' }, event({ action: 'reject', toStatus: 'rejected', internal: false, note: '非城管职责范围' }));
    expect(rendered(rejected.sms)[0]!.text).not.toContain('undefined');
    expect(rendered(rejected.sms)[0]!.text).toContain('未予立案，原因：非城管职责范围');
    const closedHotline = reactionsTo({ ...base, status: 'closed', channel: 'hotline', reporterId: undefined, callerPhone: '+8613912377777' }, event({ action: 'close', fromStatus: 'handled', toStatus: 'closed' }));
    expect(rendered(closedHotline.sms)).toEqual([
      { to: { kind: 'caller' }, text: expect.stringContaining('已处置完毕并结案') },
      // Supporters and the reporters of merged duplicates hear about the closing too.
      { to: { kind: 'followers' }, text: '【CityGrid】您关注的问题（案件编号【2026】字第【123】号）已处置完毕并结案，感谢您的监督。' },
    ]);
  });

  it('tells a merged report\'s reporter — patrol supervisors included — the number of the case it joined', () => {
    const merge = event({ action: 'merge', fromStatus: 'reported', toStatus: 'merged', relatedCaseId: 'target', relatedCaseNumber: '2026-000120' });
    for (const channel of ['app', 'patrol'] as const) {
      expect(rendered(reactionsTo({ ...base, channel, status: 'merged', caseNumber: undefined }, merge).sms)).toEqual([
        { to: { kind: 'reporter' }, text: '【CityGrid】您5月10日反映的问题与案件【2026】字第【120】号为同一问题，已合并处理，结案时将短信告知您。' },
      ]);
    }
    const hotline = reactionsTo({ ...base, channel: 'hotline', reporterId: undefined, callerPhone: '+8613912377777', hotlineTicketId: 'T-1', status: 'merged' }, merge);
    expect(hotline.sms.map((m) => m.to)).toEqual([{ kind: 'caller' }]);
    expect(hotline.publish).toMatchObject({ action: 'merge', toStatus: 'merged', statusChange: true, mergedInto: 'target', mergedIntoCaseNumber: '2026-000120' });
  });

  it('texts the supervisor sent on a field check what, where and by when', () => {
    const c = { ...base, address: '雁峰区当家村路口', fieldCheck: { kind: 'verify-report' as const, supervisorId: 's1', supervisorName: '监督员', requestedAt: '2026-05-10T01:00:00.000Z', dueAt: '2026-05-10T02:00:00.000Z' } };
    const { sms, publish } = reactionsTo(c, event({ action: 'field-check', fromStatus: 'reported', toStatus: 'reported', assigneeId: 's1', internal: true, note: '请核实' }));
    expect(rendered(sms)).toEqual([{ to: { kind: 'user', userId: 's1' }, text: expect.stringMatching(/^【CityGrid】核实任务：案件【2026】字第【123】号（雁峰区当家村路口），请于.*10:00前到现场核实/) }]);
    expect(publish.statusChange).toBe(false);
    expect(publish.note).toBeUndefined();
  });

  it('tells patrol supervisors nothing (they are staff), and nobody about a dispatch; a dispatch with a deadline starts a timer', () => {
    expect(reactionsTo({ ...base, channel: 'patrol' }, event({})).sms).toEqual([]);
    const dispatch = reactionsTo({ ...base, status: 'dispatched', dueAt: '2026-05-11T01:00:00.000Z' }, event({ seq: 3, action: 'dispatch', fromStatus: 'filed', toStatus: 'dispatched', departmentId: 'city-bureau' }));
    expect(dispatch).toMatchObject({ startTimer: true, sms: [] });
    expect(reactionsTo({ ...base, status: 'dispatched' }, event({ action: 'dispatch', toStatus: 'dispatched' })).startTimer).toBe(false); // no deadline
    expect(reactionsTo({ ...base, status: 'dispatched', dueAt: '2026-05-11T01:00:00.000Z' }, event({ action: 'rework', fromStatus: 'handled', toStatus: 'dispatched' })).startTimer).toBe(true);
  });

  it('texts the reporter of a voided case as for a rejection, without the staff\'s reasons', () => {
    const voided = reactionsTo({ ...base, status: 'voided' }, event({ action: 'void', fromStatus: 'dispatched', toStatus: 'voided', note: '内部意见：误立案' }));
    expect(rendered(voided.sms)).toEqual([{ to: { kind: 'reporter' }, text: '【CityGrid】您5月10日反映的问题（案件编号【2026】字第【123】号）经核实已作废，不再处置。如有疑问请致电12345。' }]);
    expect(voided.publish).toMatchObject({ action: 'void', toStatus: 'voided', statusChange: true });
    expect(voided.publish.note).toBeUndefined(); // internal
    expect(voided.startTimer).toBe(false);
  });

  it('sends 督办 to the holding department\'s dispatchers and the assignee; starts a timer on extend and resume only', () => {
    const held = { ...base, status: 'dispatched' as const, dueAt: '2026-05-11T01:00:00.000Z', assignment: { departmentId: 'brigade', departmentName: '雁峰街道城管大队', assigneeId: 'handler-1' } };
    const supervised = reactionsTo(held, event({ action: 'supervise', fromStatus: 'dispatched', toStatus: 'dispatched', departmentId: 'brigade', assigneeId: 'handler-1', note: '今日必须处置', actor: { id: 'l1', role: 'leader', displayName: '领导' } }));
    const text = '【CityGrid】督办：案件【2026】字第【123】号受到领导督办（今日必须处置），请加快处置并及时反馈。';
    expect(rendered(supervised.sms)).toEqual([{ to: { kind: 'dispatchers', departmentId: 'brigade' }, text }, { to: { kind: 'user', userId: 'handler-1' }, text }]);
    expect(supervised.publish).toMatchObject({ action: 'supervise', statusChange: false });
    expect(supervised.startTimer).toBe(false);
    for (const action of ['extend', 'resume'] as const) expect(reactionsTo(held, event({ action, fromStatus: 'dispatched', toStatus: 'dispatched' })).startTimer).toBe(true);
    for (const action of ['request', 'decline', 'suspend'] as const) expect(reactionsTo(held, event({ action, fromStatus: 'dispatched', toStatus: 'dispatched' })).startTimer).toBe(false);
  });

  it('warns the assignee and sends the escalation to the dispatchers of the department escalated to', () => {
    const c = { ...base, status: 'dispatched' as const, dueAt: '2026-05-11T01:00:00.000Z', escalationLevel: 1, assignment: { departmentId: 'b', departmentName: '雁峰街道城管大队', assigneeId: 'h1' } };
    const system = { id: 'system', role: 'system' as const, displayName: '系统' };
    expect(rendered(reactionsTo(c, event({ action: 'warn', fromStatus: 'dispatched', toStatus: 'dispatched', actor: system, departmentId: 'b', assigneeId: 'h1' })).sms)).toEqual([
      { to: { kind: 'user', userId: 'h1' }, text: expect.stringContaining('临近处置时限') },
    ]);
    expect(rendered(reactionsTo(c, event({ action: 'escalate', fromStatus: 'dispatched', toStatus: 'dispatched', actor: system, departmentId: 'district' })).sms)).toEqual([
      { to: { kind: 'dispatchers', departmentId: 'district' }, text: '【CityGrid】超期升级：案件【2026】字第【123】号已超过处置时限（第1级），请督促雁峰街道城管大队尽快处置。' },
    ]);
  });

  it('describes an escalation by the level its event reached, even when the case has moved on since', () => {
    const c = { ...base, status: 'dispatched' as const, escalationLevel: 3, assignment: { departmentId: 'b', departmentName: '大队' } };
    const reactions = reactionsTo(c, event({ action: 'escalate', fromStatus: 'dispatched', toStatus: 'dispatched', departmentId: 'district', escalationLevel: 1 }));
    expect(rendered(reactions.sms)[0]!.text).toContain('（第1级）');
    expect(reactions.publish.escalationLevel).toBe(1);
  });

  it("publishes a citizen's action without their default name (it ends in their phone's last digits)", () => {
    const report = reactionsTo(base, event({ action: 'report', fromStatus: undefined, toStatus: 'reported', actor: { id: 'citizen-1', role: 'citizen', displayName: '市民5678' } }));
    expect(report.publish.actor).toEqual({ role: 'citizen', displayName: '市民' });
  });

  it('publishes every event with a stable id, without phone numbers or internal notes', () => {
    const hotline = { ...base, channel: 'hotline' as const, reporterId: undefined, callerPhone: '+8613912377777', hotlineTicketId: 'T-1' };
    const filed = reactionsTo(hotline, event({ note: '内部备注' })).publish;
    expect(filed).toMatchObject({ id: 'c1.2', caseId: 'c1', channel: 'hotline', hotlineTicketId: 'T-1', action: 'file', statusChange: true, actor: { role: 'agent' } });
    expect(JSON.stringify(filed)).not.toContain('13912377777');
    expect(filed.note).toBeUndefined();
    expect(reactionsTo(hotline, event({ action: 'report', fromStatus: undefined, toStatus: 'reported' })).publish.statusChange).toBe(false);
    expect(reactionsTo(hotline, event({ action: 'rate', fromStatus: 'closed', toStatus: 'closed' })).publish.statusChange).toBe(false);
    expect(reactionsTo(hotline, event({ action: 'rework', fromStatus: 'handled', toStatus: 'dispatched' })).publish.statusChange).toBe(true);
  });
});

describe('hotline callbacks', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const message = reactionsTo({ ...base, channel: 'hotline', hotlineTicketId: 'T-9', reporterId: undefined }, event({})).publish;

  it('signs the exact body so the hotline can verify it, with the id stable per event', () => {
    const now = new Date('2026-05-10T01:10:05.000Z');
    const request = signedCallback(secret, message, now);
    expect(request.headers['webhook-id']).toBe(callbackId(message));
    expect(callbackId(message)).toBe('msg_c1_2');
    expect(verify([secret], request.headers, request.body, now)).toEqual({ id: 'msg_c1_2', timestamp: 1778375405 });
    expect(() => verify([secret], request.headers, request.body.replace('filed', 'closed'), now)).toThrow();
    expect(JSON.parse(request.body)).toEqual({
      type: 'case.status_changed',
      timestamp: message.at,
      data: { ticketId: 'T-9', caseId: 'c1', caseNumber: '2026-000123', seq: 2, action: 'file', previousStatus: 'reported', status: 'filed', at: message.at },
    });
  });

  it('fails (so the queue retries) on any non-2xx answer or a missing URL, and skips events that are not for the hotline', async () => {
    const URL = 'https://hotline.example/cb';
    const deps = (status: number, url: string | undefined = URL) => ({ url, secret: async () => secret, post: async () => status, now: () => new Date() });
    await expect(deliverCallback(deps(204), message)).resolves.toBe('delivered');
    await expect(deliverCallback(deps(500), message)).rejects.toThrow('The hotline answered 500');
    await expect(deliverCallback(deps(301), message)).rejects.toThrow();
    await expect(deliverCallback({ ...deps(200), url: undefined }, message)).rejects.toThrow('HOTLINE_CALLBACK_URL');
    await expect(deliverCallback(deps(500), { ...message, channel: 'app' })).resolves.toBe('not-for-hotline');
  });

  it('backs off exponentially from 30 s to an hour', () => {
    expect([1, 2, 3, 4, 8, 9, 10].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 3600, 3600, 3600]);
  });
});
