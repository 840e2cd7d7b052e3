import { ROLES, type Role } from '#shared/domain/roles';
import type { CaseAction, CaseStatus } from './model.ts';

/**
 * Who, relative to the case, may take an action with a given role:
 * - `city`: anyone holding the role, city-wide (agents, supervisors);
 * - `subtree`: the case is currently assigned within the caller's department subtree (dispatchers);
 * - `own-department`: the case is assigned to the caller's own department (dispatcher completing);
 * - `assignee`: the caller is the assigned handler;
 * - `reporter`: the caller reported the case.
 */
export type ScopeRule = 'city' | 'subtree' | 'own-department' | 'assignee' | 'reporter';

export interface TransitionRule {
  /** Statuses the action applies to (otherwise 409 INVALID_TRANSITION). */
  from: readonly CaseStatus[];
  /** The status after the action; `verify` depends on the verdict. */
  to: (from: CaseStatus, verdict: { approved?: boolean | undefined }) => CaseStatus;
  /** Role → scope. A role missing here may not take the action (403). */
  roles: Partial<Record<Role, ScopeRule>>;
  /** Notes on this action are staff-internal (hidden from the reporter). */
  internalNote: boolean;
}

/**
 * THE lifecycle, as data: (status, action) → next status, roles and their scope.
 * Handlers never hand-code a transition; tests walk this table exhaustively.
 */
export const TRANSITIONS: Record<CaseAction, TransitionRule> = {
  /** 立案 — a valid case: classified, numbered, grid set. */
  file: { from: ['reported'], to: () => 'filed', roles: { agent: 'city' }, internalNote: true },
  /** 不予立案 — invalid or a duplicate. */
  reject: { from: ['reported'], to: () => 'rejected', roles: { agent: 'city' }, internalNote: false },
  /** 派遣 — to a department, then down the hierarchy (re-dispatch keeps `dispatched`). */
  dispatch: { from: ['filed', 'dispatched'], to: () => 'dispatched', roles: { agent: 'city', dispatcher: 'subtree' }, internalNote: true },
  /** 回退 — wrong department: back to the center. */
  return: { from: ['dispatched'], to: () => 'filed', roles: { dispatcher: 'subtree', handler: 'assignee' }, internalNote: true },
  /** 处置完成 — the after photo is mandatory. */
  complete: { from: ['dispatched'], to: () => 'handled', roles: { handler: 'assignee', dispatcher: 'own-department' }, internalNote: true },
  /** 核查 — compare before/after: close, or send back for rework. */
  verify: {
    from: ['handled'],
    to: (_from, verdict) => (verdict.approved ? 'closed' : 'dispatched'),
    roles: { agent: 'city', supervisor: 'city' },
    internalNote: true,
  },
  /** 评价 — the reporter, once, after closing. */
  rate: { from: ['closed'], to: () => 'closed', roles: { citizen: 'reporter', supervisor: 'reporter' }, internalNote: false },
};

/** The roles that may take `action` at all (in the contract's role order): the step's route access. */
export function rolesFor(action: CaseAction): readonly Role[] {
  return ROLES.filter((role) => TRANSITIONS[action].roles[role] !== undefined);
}

export type Refusal = { kind: 'forbidden'; message: string } | { kind: 'invalid-transition'; message: string };

/** Scope facts about the caller and the case, computed by the use case from the department tree. */
export interface ScopeFacts {
  isReporter: boolean;
  isAssignee: boolean;
  /** The case's current assignment is the caller's department. */
  inOwnDepartment: boolean;
  /** The case's current assignment is within the caller's department subtree. */
  inSubtree: boolean;
}

const SCOPE_HOLDS: Record<ScopeRule, (facts: ScopeFacts) => boolean> = {
  city: () => true,
  subtree: (f) => f.inSubtree,
  'own-department': (f) => f.inOwnDepartment,
  assignee: (f) => f.isAssignee,
  reporter: (f) => f.isReporter,
};

/**
 * Decides whether `roles` may take `action` on a case in `status`: the role first (403), then the
 * status (409 INVALID_TRANSITION), then the scope (403). Returns the role that acts, or a refusal.
 */
export function decide(action: CaseAction, status: CaseStatus, roles: readonly Role[], facts: ScopeFacts): { role: Role } | Refusal {
  const rule = TRANSITIONS[action];
  const eligible = roles.filter((role) => rule.roles[role] !== undefined);
  if (eligible.length === 0) return { kind: 'forbidden', message: `Your role may not ${action} cases` };
  if (!rule.from.includes(status)) return { kind: 'invalid-transition', message: `A ${status} case cannot be ${PAST[action]}` };
  const acting = eligible.find((role) => SCOPE_HOLDS[rule.roles[role]!](facts));
  if (!acting) return { kind: 'forbidden', message: `This case is outside your responsibility (${eligible.map((r) => rule.roles[r]).join(', ')})` };
  return { role: acting };
}

const PAST: Record<CaseAction, string> = {
  file: 'filed',
  reject: 'rejected',
  dispatch: 'dispatched',
  return: 'returned',
  complete: 'completed',
  verify: 'verified',
  rate: 'rated',
};
