import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseStore } from '#shared/data/case-store';
import { createIdentityStore } from '#shared/data/identity-store';
import { createPhotoStore } from '#shared/data/photo-store';
import { readyPhoto } from '../support/photos.ts';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import { CASE_ACTIONS, CASE_STATUSES, type Case, type CaseAction, type CaseStatus } from '#shared/domain/cases/model';
import { reportCase, transition, type CaseDeps, type TransitionInput } from '#shared/domain/cases/use-cases';
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/identity/model';
import { ROLES, type Role } from '#shared/domain/roles';
import { loadDemoCity } from '#infra/local/seed';
import { createTestTable } from '../support/table.ts';
import { escalateStep, warnStep } from '#shared/domain/escalation/timer';

let table: Awaited<ReturnType<typeof createTestTable>>;
let deps: CaseDeps;
const BRIGADE = 'yanfeng-street-brigade';
/** Another handler of the brigade: a re-dispatch must change the assignment (a repeat is refused). */
const secondHandler = `handler2-${randomUUID().slice(0, 8)}`;
const person = (role: Role, departmentId?: string): Principal => ({ userId: `${role}-${randomUUID().slice(0, 8)}`, roles: [role], departmentId, displayName: `${role} user` });
const principals: Record<Role, Principal> = {
  citizen: person('citizen'),
  supervisor: person('supervisor', 'city-bureau'),
  agent: person('agent', 'city-bureau'),
  dispatcher: person('dispatcher', BRIGADE),
  handler: person('handler', BRIGADE),
  leader: person('leader', 'city-bureau'),
  admin: person('admin', 'city-bureau'),
};

beforeAll(async () => {
  table = await createTestTable();
  const reference = createReferenceStore(table.db);
  await reference.importAll(loadDemoCity());
  const users = createIdentityStore(table.db);
  const handler = principals.handler;
  await users.createUser({ id: secondHandler, phone: '+8613700004321', displayName: '处置人员二', roles: ['handler'], departmentId: BRIGADE, status: 'active', createdAt: new Date().toISOString() });
  await users.createUser({ id: principals.supervisor.userId, phone: '+8613700005678', displayName: '监督员', roles: ['supervisor'], departmentId: 'city-bureau', status: 'active', createdAt: new Date().toISOString() });
  await users.createUser({ id: handler.userId, phone: '+8613700001234', displayName: handler.displayName, roles: ['handler'], departmentId: BRIGADE, status: 'active', createdAt: new Date().toISOString() });
  deps = {
    store: createCaseStore(table.db),
    reference: createReferenceCache(reference),
    users,
    // S3 has a local engine, but these tests are about cases: photo records are real, URLs are not fetched.
    photos: { store: createPhotoStore(table.db) },
    now: () => new Date(),
    newId: () => randomUUID(),
  };
});
afterAll(async () => table.drop());

/** The statuses in which a fixture case is held by the brigade (and its handler). */
const ASSIGNED: CaseStatus[] = ['dispatched', 'handled', 'closed', 'suspended'];

/**
 * A case already in `status`, reported by the citizen and (from dispatch on) held by the brigade's
 * handler; `extra` adds fields (a pending request, a priority…).
 */
async function caseIn(status: CaseStatus, extra: Partial<Case> = {}): Promise<Case> {
  const at = new Date().toISOString();
  const id = randomUUID();
  const assigned = ASSIGNED.includes(status);
  const c: Case = {
    id,
    status,
    channel: 'app',
    description: '测试案件',
    location: { lat: 26.879, lng: 112.613 },
    gridId: 'yanfeng-dangjiacun',
    gridName: '当家村社区',
    reporterId: principals.citizen.userId,
    dispatchPath: assigned ? ['city-bureau', 'yanfeng-district-bureau', BRIGADE] : [],
    escalationLevel: 0,
    reworkCount: 0,
    beforePhotoKeys: [],
    afterPhotoKeys: status === 'handled' || status === 'closed' ? ['uploads/x/after/a.jpg'] : [],
    createdAt: at,
    updatedAt: at,
    version: 3,
    eventCount: 1,
    ...(status !== 'reported' && status !== 'rejected' ? { categoryCode: 'E0503', categoryName: '沿街晾挂', caseNumber: '2026-000001' } : {}),
    ...(assigned ? { assignment: { departmentId: BRIGADE, departmentName: '雁峰街道城管大队', assigneeId: principals.handler.userId, assigneeName: 'h' }, firstDispatchedAt: at, dueAt: new Date(Date.now() + 86_400_000).toISOString(), timerSeq: 1 } : {}),
    ...(status === 'closed' ? { closedAt: at, completedAt: at } : {}),
    ...(status === 'suspended' ? { remainingHours: 5 } : {}),
    ...extra,
  };
  await deps.store.createCase({ case: c, event: { caseId: id, seq: 1, at, action: 'report', toStatus: 'reported', actor: { id: 'x', role: 'citizen', displayName: 'x' }, internal: false }, counters: [] });
  return c;
}

/**
 * The contract (README: the stages and the exception paths), written independently of the transition table it checks.
 * Requests and decisions have a row per kind of request; a decision row's fixture has that request
 * pending (asked by someone else), `decide` without one has none. `to: 'same'` keeps the status.
 */
type Row = Exclude<CaseAction, 'request' | 'decide'> | 'request extension' | 'request suspension' | 'request void' | 'decide extension' | 'decide suspension' | 'decide void' | 'decide nothing';
const CONTRACT: Record<Row, { roles: Role[]; from: CaseStatus[]; to: CaseStatus | 'same' }> = {
  file: { roles: ['agent'], from: ['reported'], to: 'filed' },
  reject: { roles: ['agent'], from: ['reported'], to: 'rejected' },
  dispatch: { roles: ['agent', 'dispatcher'], from: ['filed', 'dispatched'], to: 'dispatched' },
  return: { roles: ['dispatcher', 'handler'], from: ['dispatched'], to: 'filed' },
  complete: { roles: ['handler', 'dispatcher'], from: ['dispatched'], to: 'handled' },
  verify: { roles: ['agent', 'supervisor'], from: ['handled'], to: 'closed' },
  rate: { roles: ['citizen', 'supervisor'], from: ['closed'], to: 'closed' },
  'request extension': { roles: ['handler', 'dispatcher'], from: ['dispatched'], to: 'same' },
  'request suspension': { roles: ['handler', 'dispatcher'], from: ['dispatched'], to: 'same' },
  'request void': { roles: ['agent', 'dispatcher'], from: ['filed', 'dispatched'], to: 'same' },
  'decide extension': { roles: ['agent', 'leader', 'dispatcher'], from: ['dispatched'], to: 'dispatched' },
  'decide suspension': { roles: ['agent', 'leader'], from: ['dispatched'], to: 'suspended' },
  'decide void': { roles: ['agent', 'leader'], from: ['filed', 'dispatched'], to: 'voided' },
  'decide nothing': { roles: ['agent', 'leader', 'dispatcher'], from: [], to: 'same' },
  resume: { roles: ['agent', 'leader'], from: ['suspended'], to: 'dispatched' },
  supervise: { roles: ['leader', 'agent'], from: ['dispatched', 'suspended'], to: 'same' },
  merge: { roles: ['agent'], from: ['reported', 'filed', 'dispatched'], to: 'merged' },
  'field-check': { roles: ['agent'], from: ['reported', 'handled'], to: 'same' },
  'field-check-answer': { roles: ['supervisor'], from: ['reported', 'handled'], to: 'same' },
};
const ROWS = Object.keys(CONTRACT) as Row[];

/** The request pending on a decision row's fixture: asked by another person. */
const pendingFor = (row: Row): Partial<Case> => {
  const kind = row.startsWith('decide ') ? row.slice('decide '.length) : undefined;
  if (kind !== 'extension' && kind !== 'suspension' && kind !== 'void') return {};
  return { pendingRequest: { kind, reason: '测试申请', ...(kind === 'extension' ? { hours: 7 } : {}), requestedBy: { id: 'someone-else', role: 'handler', displayName: 'x' }, at: new Date().toISOString(), departmentId: BRIGADE } };
};

const inputFor = async (row: Row, role: Role, status: CaseStatus): Promise<TransitionInput> => {
  switch (row) {
    case 'file': return { action: row, categoryCode: 'E0503' };
    case 'reject': return { action: row, reason: '无效' };
    case 'dispatch': return role === 'dispatcher' ? { action: row, assigneeId: secondHandler } : { action: row, departmentId: BRIGADE, assigneeId: secondHandler };
    case 'return': return { action: row, reason: '不属本单位' };
    case 'complete': return { action: row, photoKeys: [await readyPhoto(table.db, principals[role].userId, 'after')] };
    case 'verify': return { action: row, approved: true };
    case 'rate': return { action: row, satisfied: true };
    case 'request extension': return { action: 'request', kind: 'extension', reason: '需要采购配件', hours: 7 };
    case 'request suspension': return { action: 'request', kind: 'suspension', reason: '待财政审批' };
    case 'request void': return { action: 'request', kind: 'void', reason: '误立案' };
    case 'decide extension':
    case 'decide suspension':
    case 'decide void':
    case 'decide nothing': return { action: 'decide', approved: true };
    case 'resume': return { action: row };
    case 'supervise': return { action: row, note: '请加快处置' };
    case 'merge': return { action: row, intoCaseId: (await caseIn('filed')).id };
    case 'field-check': return { action: row, kind: status === 'handled' ? 'check-result' : 'verify-report', supervisorId: principals.supervisor.userId };
    case 'field-check-answer': return { action: row, confirmed: true };
  }
};

/** Who can see a fixture case at all (otherwise 404). */
const canSee = (role: Role, status: CaseStatus) => ['citizen', 'agent', 'supervisor', 'leader', 'admin'].includes(role) || ASSIGNED.includes(status);

/**
 * Scope beyond the role: the reporter rates; a dispatcher acts on cases its department holds, and
 * decides an extension only for a department below its own (the brigade's dispatcher never does).
 */
const inScope = (row: Row, role: Role, status: CaseStatus) => {
  if (row === 'rate') return role === 'citizen';
  if (row === 'field-check-answer') return false; // only the supervisor of an open check, and the fixtures have none
  if (role === 'dispatcher') return !row.startsWith('decide') && ASSIGNED.includes(status);
  return true;
};

/** Runs `work` over `items`, a few at a time (hundreds at once only queue up in DynamoDB Local). */
async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>, width = 12) {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

describe('the transition table, walked exhaustively on DynamoDB Local', () => {
  const combos = CASE_STATUSES.flatMap((status) => ROWS.flatMap((row) => ROLES.map((role) => [status, row, role] as const)));

  it(`gives every (status, action, role) — ${CASE_STATUSES.length * ROWS.length * ROLES.length} of them — the documented answer and writes nothing on refusal`, { timeout: 600_000 }, async () => {
    const outcomes: string[] = [];
    await inBatches(
      combos,
      async ([status, action, role]) => {
        const c = await caseIn(status, pendingFor(action));
        const rule = CONTRACT[action];
        const expected = !canSee(role, status)
          ? NotFoundError
          : !rule.roles.includes(role)
            ? ForbiddenError
            : !rule.from.includes(status)
              ? InvalidTransitionError
              : !inScope(action, role, status)
                ? ForbiddenError
                : rule.to === 'same'
                  ? status
                  : rule.to;
        try {
          const result = await transition(deps, principals[role], c.id, await inputFor(action, role, status));
          if (result.status !== expected) outcomes.push(`${status} ${action} ${role}: got ${result.status}, expected ${typeof expected === 'string' ? expected : expected.name}`);
          else if (result.version !== c.version + 1) outcomes.push(`${status} ${action} ${role}: version not bumped`);
        } catch (error) {
          if (typeof expected === 'string' || !(error instanceof expected)) {
            outcomes.push(`${status} ${action} ${role}: threw ${(error as Error).name} (${(error as Error).message}), expected ${typeof expected === 'string' ? expected : expected.name}`);
          }
          const after = await deps.store.getCaseWithTimeline(c.id);
          if (after?.case.version !== c.version || after.timeline.length !== 1) outcomes.push(`${status} ${action} ${role}: wrote on refusal`);
        }
      },
    );
    expect(outcomes).toEqual([]);
  });

  it('sends a rejected verification back to the same assignee with reworkCount + 1', async () => {
    const c = await caseIn('handled');
    const result = await transition(deps, principals.agent, c.id, { action: 'verify', approved: false, note: '未整改到位' });
    expect(result).toMatchObject({ status: 'dispatched', reworkCount: 1, assignment: { assigneeId: principals.handler.userId } });
  });
});

/** Deps whose first case write lets `intruder` write to the case first (between the step's read and write). */
function racingDeps(intruder: () => Promise<unknown>): CaseDeps {
  let raced = false;
  return {
    ...deps,
    store: {
      ...deps.store,
      applyTransition: async (args) => {
        if (!raced) {
          raced = true;
          await intruder();
        }
        return deps.store.applyTransition(args);
      },
    },
  };
}

describe('races', () => {
  it('lets exactly one of 10 concurrent dispatches of one case through; the others get 409', async () => {
    const c = await caseIn('filed');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => transition(deps, principals.agent, c.id, { action: 'dispatch', departmentId: 'city-bureau' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const after = await deps.store.getCaseWithTimeline(c.id);
    expect(after!.case.version).toBe(c.version + 1);
    expect(after!.timeline.filter((e) => e.action === 'dispatch')).toHaveLength(1);
  });

  it('decides a staff step again when the deadline timer wrote meanwhile (no version given); with a version it is 409', async () => {
    const c = await caseIn('dispatched');
    // The timer's warning (or next escalation) lands between the staff request's read and its write.
    const timerWrite = async () => {
      const current = (await deps.store.getCase(c.id))!;
      const step = warnStep(current, current.timerSeq!, new Date()) ?? escalateStep(current, current.timerSeq!, current.escalationLevel + 1, new Date(), await deps.reference.departments());
      expect(await deps.store.applyTransition({ expectedVersion: current.version, next: step!.next, event: step!.event, counters: [] })).toBe(true);
    };
    const racing = racingDeps(timerWrite);
    await transition(racing, principals.dispatcher, c.id, { action: 'dispatch', assigneeId: secondHandler });
    const after = await deps.store.getCaseWithTimeline(c.id);
    expect(after!.timeline.map((e) => e.action)).toEqual(['report', 'warn', 'dispatch']);
    expect(after!.case).toMatchObject({ version: c.version + 2, warnedAt: expect.any(String), assignment: { assigneeId: secondHandler } });

    const fresh = (await deps.store.getCase(c.id))!;
    const versioned = transition(racingDeps(timerWrite), principals.agent, c.id, { action: 'dispatch', departmentId: BRIGADE, assigneeId: principals.handler.userId, expectedVersion: fresh.version });
    await expect(versioned).rejects.toThrow(ConflictError);
  });

  it('does not re-decide a step that lost to another person: two unversioned dispatches, the second is 409', async () => {
    const c = await caseIn('filed');
    // Another agent's dispatch lands between this request's read and its write.
    const racing = racingDeps(() => transition(deps, principals.agent, c.id, { action: 'dispatch', departmentId: 'city-bureau' }));
    await expect(transition(racing, principals.agent, c.id, { action: 'dispatch', departmentId: 'zhuhui-district-bureau' })).rejects.toThrow(ConflictError);
    const after = await deps.store.getCaseWithTimeline(c.id);
    expect(after!.timeline.filter((e) => e.action === 'dispatch').map((e) => e.departmentId)).toEqual(['city-bureau']);
  });

  it('starts a fresh timer (timerSeq = the event) on each dispatch hop and on rework, not on return', async () => {
    const filed = await caseIn('filed');
    await transition(deps, principals.agent, filed.id, { action: 'dispatch', departmentId: 'city-bureau' });
    expect((await deps.store.getCase(filed.id))!.timerSeq).toBe(2); // the report was seq 1, the dispatch seq 2
    await transition(deps, principals.agent, filed.id, { action: 'dispatch', departmentId: 'yanfeng-district-bureau' });
    expect((await deps.store.getCase(filed.id))!.timerSeq).toBe(3);
    const reworked = await caseIn('handled');
    await transition(deps, principals.agent, reworked.id, { action: 'verify', approved: false });
    expect((await deps.store.getCase(reworked.id))!.timerSeq).toBe(2);
    const held = await caseIn('dispatched');
    await transition(deps, principals.dispatcher, held.id, { action: 'return', reason: '不属本单位' });
    expect((await deps.store.getCase(held.id))!.timerSeq).toBe(held.timerSeq); // unchanged: its timer ends (case filed)
  });

  it('refuses a repeated dispatch to the same department and handler (no double count), with 409', async () => {
    const c = await caseIn('dispatched');
    await expect(transition(deps, principals.agent, c.id, { action: 'dispatch', departmentId: BRIGADE, assigneeId: principals.handler.userId })).rejects.toThrow(ConflictError);
    expect((await deps.store.getCase(c.id))!.version).toBe(c.version);
  });

  it('takes a returned case out of the departments\' sight', async () => {
    const c = await caseIn('dispatched');
    await transition(deps, principals.dispatcher, c.id, { action: 'return', reason: '不属本单位' });
    await expect(transition(deps, principals.dispatcher, c.id, { action: 'dispatch', assigneeId: principals.handler.userId })).rejects.toThrow(NotFoundError);
  });

  it('answers a replayed report with photos with the first case, not "photo already attached"', async () => {
    const reporter = person('citizen');
    const photoKey = await readyPhoto(table.db, reporter.userId, 'before');
    const body = { description: '井盖丢失很危险', location: { lat: 26.879, lng: 112.613 }, photoKeys: [photoKey] };
    const first = await reportCase(deps, reporter, body, 'key-with-photos-1');
    const again = await reportCase(deps, reporter, body, 'key-with-photos-1');
    expect(again.id).toBe(first.id);
    // A retry sent while the first was still being written: it looked the key up before the first
    // committed (simulated: the first look-up finds nothing), then meets the photos attached by it.
    let lookups = 0;
    const early: CaseDeps = { ...deps, store: { ...deps.store, getIdempotency: (caller, key) => (lookups++ === 0 ? Promise.resolve(undefined) : deps.store.getIdempotency(caller, key)) } };
    const concurrent = await reportCase(early, reporter, body, 'key-with-photos-1');
    expect(concurrent.id).toBe(first.id);
    expect(lookups).toBe(2);
    expect((await deps.store.listByReporter(reporter.userId, { limit: 10 })).items).toHaveLength(1);
  });

  it('answers a cursor that is not ours with 400 on query.cursor', async () => {
    await expect(deps.store.listByReporter(principals.citizen.userId, { limit: 5, cursor: 'not-a-cursor' })).rejects.toMatchObject({ details: [{ path: 'query.cursor' }] });
    // A well-formed position of another list (another reporter's): DynamoDB refuses the starting key.
    const other = person('citizen');
    for (const description of ['路边垃圾堆积很久了', '井盖破损存在隐患']) await reportCase(deps, other, { description, location: { lat: 26.879, lng: 112.613 } });
    const { nextCursor } = await deps.store.listByReporter(other.userId, { limit: 1 });
    expect(nextCursor).toEqual(expect.any(String));
    await expect(deps.store.listByReporter(principals.citizen.userId, { limit: 5, cursor: nextCursor })).rejects.toMatchObject({ details: [{ path: 'query.cursor' }] });
  });

  it('refuses a stale expectedVersion with 409 and writes nothing', async () => {
    const c = await caseIn('reported');
    await expect(transition(deps, principals.agent, c.id, { action: 'file', categoryCode: 'E0503', expectedVersion: c.version - 1 })).rejects.toThrow(ConflictError);
    expect((await deps.store.getCase(c.id))!.version).toBe(c.version);
  });

  it('creates one case for 10 concurrent reports with one Idempotency-Key, and 409s another body', async () => {
    const reporter = person('citizen');
    const body = { description: '路边垃圾堆积很久了', location: { lat: 26.879, lng: 112.613 } };
    const results = await Promise.all(Array.from({ length: 10 }, () => reportCase(deps, reporter, body, 'key-0123456789')));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect((await deps.store.listByReporter(reporter.userId, { limit: 50 })).items).toHaveLength(1);
    await expect(reportCase(deps, reporter, { ...body, description: '另一个问题描述' }, 'key-0123456789')).rejects.toThrow(ConflictError);
  });
});
