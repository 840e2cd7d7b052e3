import type { CaseStore } from '#shared/domain/cases/ports';
import { caseView } from '#shared/domain/cases/views';
import type { Case } from '#shared/domain/cases/model';
import { ConflictError, NotFoundError } from '#shared/domain/errors';
import { userView, type Principal } from './model.ts';
import type { QuotaCounter } from '#shared/domain/quotas';
import type { IdentityStore } from './ports.ts';
import type { DutyStore } from '#shared/domain/duty/model';
import { exportDutyData } from '#shared/domain/duty/use-cases';
import { STAFF_ROLES } from '#shared/domain/roles';

/** What the data-rights use cases need: the account, the person's cases, their quota counters and a clock. */
export interface DataRightsDeps {
  users: Pick<IdentityStore, 'getUser' | 'deleteAccount' | 'markCancelled'>;
  cases: Pick<CaseStore, 'listByReporter' | 'forgetReporter' | 'forgetFollower'>;
  quotas: Pick<QuotaCounter, 'forget'>;
  /** Staff: their duty spans and track points (考勤 · 轨迹). */
  duty?: Pick<DutyStore, 'allSpans' | 'pointsOfDay'> | undefined;
  now: () => Date;
}

/** What a cancelled person's events show instead of their name (个人信息保护法: the record stays, the person goes). */
export const CANCELLED_ACCOUNT_NAME = '已注销用户';

async function allCasesOf(deps: Pick<DataRightsDeps, 'cases'>, reporterId: string): Promise<Case[]> {
  const all: Case[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.cases.listByReporter(reporterId, { limit: 100, cursor });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/**
 * 注销账号 — account cancellation (Personal Information Protection Law; app stores require it in the app).
 * 1. Mark the account cancelled: from this write on, no report, "me too", upload grant or quota count
 *    is written for the person (each of those writes checks the mark in its own transaction → 401).
 * 2. Take the person's identity off each of their cases: no `reporterId`, their timeline events
 *    show only the role and "已注销用户", their photos of the case name no owner. The cases stay for
 *    the city's records. Remove their "me too" follower items and their quota counters.
 * 3. Delete the account and release the phone claim in one transaction: the phone may register again
 *    (a new, unrelated account), and every token of the old account fails (its user is gone).
 * 4. Look once more for a case that committed while step 1 was written, and clear it too.
 * Repeatable: a step that failed half-way is finished by the next call — until step 3 succeeds.
 */
export async function cancelAccount(deps: DataRightsDeps, principal: Principal) {
  const user = await deps.users.getUser(principal.userId);
  if (!user) throw new NotFoundError('Account not found', { id: 'account.not-found' });
  const forgetAll = async () => {
    for (const c of await allCasesOf(deps, user.id)) {
      let done = false;
      for (let attempt = 0; attempt < 5 && !done; attempt++) {
        done = await deps.cases.forgetReporter({ caseId: c.id, reporterId: user.id, displayName: CANCELLED_ACCOUNT_NAME });
      }
      if (!done) throw new ConflictError('A case kept changing while the account was being cancelled; try again', 'CONFLICT', { id: 'account.cancel-retry' });
    }
  };
  await deps.users.markCancelled(user.id, deps.now());
  await forgetAll();
  await deps.cases.forgetFollower(user.id);
  await deps.quotas.forget(user.id, deps.now());
  await deps.users.deleteAccount(user);
  await forgetAll();
}

/**
 * 个人信息导出 — the person's own data as JSON: the account (full phone: it is theirs), every case they
 * reported (as they see it) and their ratings; staff also their duty spans and the track points still kept.
 */
export async function exportMyData(deps: Pick<DataRightsDeps, 'users' | 'cases' | 'now' | 'duty'>, principal: Principal) {
  const user = await deps.users.getUser(principal.userId);
  if (!user) throw new NotFoundError('Account not found', { id: 'account.not-found' });
  const now = deps.now();
  const cases = await allCasesOf(deps, user.id);
  return {
    exportedAt: now.toISOString(),
    account: { ...userView(user, principal), status: user.status, createdAt: user.createdAt },
    cases: cases.map((c) => caseView(c, 'reporter', now)),
    ratings: cases.filter((c) => c.rating).map((c) => ({ caseId: c.id, ...(c.caseNumber ? { caseNumber: c.caseNumber } : {}), ...c.rating! })),
    ...(deps.duty && user.roles.some((r) => (STAFF_ROLES as readonly string[]).includes(r)) ? await exportDutyData(deps.duty, user.id, now) : {}),
  };
}
