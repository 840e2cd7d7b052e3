import { describe, expect, it } from 'vitest';
import { loadDemoCity } from '#infra/local/seed';
import type { Case } from '#shared/domain/cases/model';
import type { CaseEventMessage } from '#shared/domain/events/reactions';
import { caseLiveMessage, departmentPath, LIVE_ID_PATTERN, liveId, liveIdTime, liveMessage, liveTypeOf, publicLiveMessage } from '#shared/domain/live/messages';
import { hears } from '#shared/domain/live/scope';
import { DepartmentTree } from '#shared/domain/reference/departments';

const tree = new DepartmentTree(loadDemoCity().departments);

const event = (over: Partial<CaseEventMessage> = {}): CaseEventMessage => ({
  id: 'c1.3',
  type: 'case.event',
  caseId: 'c1',
  caseNumber: '2026-000042',
  channel: 'app',
  seq: 3,
  action: 'dispatch',
  fromStatus: 'filed',
  toStatus: 'dispatched',
  statusChange: true,
  at: '2026-12-07T23:00:00.000Z',
  actor: { role: 'agent', displayName: '坐席' },
  departmentId: 'yanfeng-street-brigade',
  ...over,
});

const aCase = (over: Partial<Case> = {}) =>
  ({
    id: 'c1',
    caseNumber: '2026-000042',
    status: 'dispatched',
    description: '沿街晾挂，联系 13912345678',
    address: '当家村社区 13912345678 号楼',
    categoryName: '沿街晾挂',
    assignment: { departmentId: 'yanfeng-street-brigade', departmentName: '雁峰街道城管大队', assigneeId: 'handler-1', assigneeName: '处置员' },
    ...over,
  }) as Case;

describe('live message ids', () => {
  it('sort as text in time order, whatever the source', () => {
    const ids = [0, 1, 999, 1000, 60_000, 3_600_000].map((ms) => liveId(new Date(Date.UTC(2026, 11, 7) + ms), `zzz-${ms}`));
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(LIVE_ID_PATTERN);
  });

  it('are the same for the same source and instant (a redelivery), and differ between sources', () => {
    const at = new Date('2026-12-07T23:00:00.000Z');
    expect(liveId(at, 'c1.3')).toBe(liveId(at, 'c1.3'));
    expect(liveId(at, 'c1.3')).not.toBe(liveId(at, 'c1.4'));
    expect(liveIdTime(liveId(at, 'c1.3'))).toBe(at.getTime());
    expect(liveIdTime('yesterday')).toBeNaN();
  });
});

describe('case events as live messages', () => {
  it('maps the timeline actions of the contract and leaves the others out', () => {
    expect(['report', 'file', 'dispatch', 'complete', 'close', 'warn', 'escalate', 'request', 'field-check-answer'].map(liveTypeOf)).toEqual([
      'case.reported', 'case.filed', 'case.dispatched', 'case.handled', 'case.closed', 'case.warned', 'case.escalated', 'request.pending', 'field-check.answered',
    ]);
    for (const action of ['reject', 'return', 'verify', 'rate', 'rework', 'merge', 'supervise', 'resume']) expect(liveTypeOf(action)).toBeUndefined();
  });

  it('says what happened in Chinese, carries the holder\'s department path and the assignee, and no phone number', () => {
    const message = caseLiveMessage(event(), aCase(), tree)!;
    expect(message).toMatchObject({ type: 'case.dispatched', caseId: 'c1', caseNumber: '2026-000042', departmentId: 'yanfeng-street-brigade', summary: '【2026】字第【42】号 已派遣至雁峰街道城管大队 · 处置员' });
    expect(message.audience).toEqual({ departmentPath: ['yanfeng-street-brigade', 'yanfeng-district-bureau', 'city-bureau'], userIds: ['handler-1'] });
    const reported = caseLiveMessage(event({ action: 'report', fromStatus: undefined, toStatus: 'reported', departmentId: undefined }), aCase({ assignment: undefined, status: 'reported', caseNumber: undefined }), tree)!;
    expect(reported.summary).toMatch(/^新上报：沿街晾挂 · /);
    expect(reported.summary).not.toContain('13912345678');
    expect(reported.audience).toEqual({});
    expect(JSON.stringify(publicLiveMessage(message))).not.toContain('audience');
  });

  it('addresses an event to who held the case then, not when the fan-out runs (the case may have moved on)', () => {
    // The report's and the filing's messages built after the case was dispatched: still the center's alone.
    const dispatched = aCase();
    for (const action of ['report', 'file'] as const) {
      const message = caseLiveMessage(event({ action, fromStatus: undefined, toStatus: action === 'report' ? 'reported' : 'filed', departmentId: undefined }), dispatched, tree)!;
      expect(message.audience).toEqual({});
      expect(message.departmentId).toBeUndefined();
    }
    // A dispatch's message goes to the department it sent the case to, even after a re-dispatch elsewhere.
    const redispatched = aCase({ assignment: { ...aCase().assignment!, departmentId: 'dongfeng-street-brigade', departmentName: '东风街道城管大队' } });
    const first = caseLiveMessage(event(), redispatched, tree)!;
    expect(first.departmentId).toBe('yanfeng-street-brigade');
    expect(first.audience.departmentPath).toEqual(['yanfeng-street-brigade', 'yanfeng-district-bureau', 'city-bureau']);
    expect(first.summary).toBe('【2026】字第【42】号 已派遣至雁峰街道城管大队');
  });
});

describe('who hears a live message (the contract\'s scope)', () => {
  const brigade = { departmentPath: departmentPath(tree, 'yanfeng-street-brigade'), userIds: ['handler-1'] };
  const elsewhere = { departmentPath: departmentPath(tree, 'dongfeng-street-brigade') };
  it.each([
    ['an agent', { userId: 'a', roles: ['agent'] as const }, true, true],
    ['a leader', { userId: 'l', roles: ['leader'] as const }, true, true],
    ['the brigade\'s dispatcher', { userId: 'd', roles: ['dispatcher'] as const, departmentId: 'yanfeng-street-brigade' }, true, false],
    ['the district\'s dispatcher (the brigade is in its subtree)', { userId: 'd', roles: ['dispatcher'] as const, departmentId: 'yanfeng-district-bureau' }, true, false],
    ['the city bureau\'s dispatcher', { userId: 'd', roles: ['dispatcher'] as const, departmentId: 'city-bureau' }, true, true],
    ['the assigned handler', { userId: 'handler-1', roles: ['handler'] as const, departmentId: 'yanfeng-street-brigade' }, true, false],
    ['another handler of the brigade', { userId: 'handler-2', roles: ['handler'] as const, departmentId: 'yanfeng-street-brigade' }, false, false],
    ['a citizen named in the audience', { userId: 'handler-1', roles: ['citizen'] as const }, false, false],
  ])('%s', (_who, viewer, brigadeCase, otherCase) => {
    expect(hears({ ...viewer, roles: [...viewer.roles] }, brigade)).toBe(brigadeCase);
    expect(hears({ ...viewer, roles: [...viewer.roles] }, elsewhere)).toBe(otherCase);
  });

  it('gives a route\'s own message (roll call) to the person and the dispatchers above their department', () => {
    const message = liveMessage({ type: 'roll-call.answered', at: new Date('2026-12-07T23:00:00Z'), source: 'roll-call:r1:answered', summary: '张三 已应答点名', departmentId: 'yanfeng-street-brigade', userIds: ['sup-1'] }, tree);
    expect(message.id).toBe(liveId(new Date('2026-12-07T23:00:00Z'), 'roll-call:r1:answered'));
    expect(hears({ userId: 'sup-1', roles: ['supervisor'] }, message.audience)).toBe(true);
    expect(hears({ userId: 'd', roles: ['dispatcher'], departmentId: 'yanfeng-district-bureau' }, message.audience)).toBe(true);
    expect(hears({ userId: 'd', roles: ['dispatcher'], departmentId: 'zhuhui-district-bureau' }, message.audience)).toBe(false);
  });
});
