import { ROLES, type Role } from '#shared/domain/roles';
import type { Case, CaseAction, CaseStatus, FieldCheckKind, RequestKind } from './model.ts';

/**
 * Who, relative to the case, may take an action with a given role:
 * - `city`: anyone holding the role, city-wide (agents, supervisors);
 * - `subtree`: the case is currently assigned within the caller's department subtree (dispatchers);
 * - `own-department`: the case is assigned to the caller's own department (dispatcher completing);
 * - `above`: the case is assigned to a department strictly below the caller's (a superior's dispatcher);
 * - `assignee`: the caller is the assigned handler;
 * - `reporter`: the caller reported the case.
 */
export type ScopeRule = 'city' | 'subtree' | 'own-department' | 'above' | 'assignee' | 'reporter' | 'field-checker';

/**
 * A row of the transition table: an action — or, for requests and their decisions, the action with the
 * kind of request (延期 extension · 挂账 suspension · 作废 void), whose rules differ. `decide:none` is a
 * decision on a case with no pending request: nobody's, in no status.
 */
export type RuleKey = Exclude<CaseAction, 'request' | 'decide'> | `request:${RequestKind}` | `decide:${RequestKind}` | 'decide:none';

/** The row of `action` for a case: requests by the kind asked for, decisions by the kind pending. */
export function ruleKey(action: CaseAction, c: Pick<Case, 'pendingRequest'>, kind?: RequestKind): RuleKey {
  if (action === 'request') return `request:${kind ?? 'extension'}`;
  if (action === 'decide') return c.pendingRequest ? `decide:${c.pendingRequest.kind}` : 'decide:none';
  return action;
}

/** The action of a row. */
export const actionOf = (key: RuleKey): CaseAction => key.split(':')[0] as CaseAction;

export interface TransitionRule {
  /** Statuses the action applies to (otherwise 409 INVALID_TRANSITION). */
  from: readonly CaseStatus[];
  /** The status after the action; `verify` and `decide:*` depend on the verdict. */
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
export const TRANSITIONS: Record<RuleKey, TransitionRule> = {
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

  // ── Exceptions: 延期 extension · 挂账 suspension · 作废 void (request, then decision) · 恢复 · 督办 ──
  /** 申请延期 — more time; the holder asks (one pending request per case). */
  'request:extension': { from: ['dispatched'], to: (from) => from, roles: { handler: 'assignee', dispatcher: 'own-department' }, internalNote: true },
  /** 申请挂账 — park the case (e.g. waiting for a budget decision). */
  'request:suspension': { from: ['dispatched'], to: (from) => from, roles: { handler: 'assignee', dispatcher: 'own-department' }, internalNote: true },
  /** 申请作废 — filed by mistake: withdraw the case. */
  'request:void': { from: ['filed', 'dispatched'], to: (from) => from, roles: { agent: 'city', dispatcher: 'own-department' }, internalNote: true },
  /** 审批延期 — approved: `dueAt` later, the timer planned again; refused: `decline`. Also a superior's dispatcher. */
  'decide:extension': { from: ['dispatched'], to: (from) => from, roles: { agent: 'city', leader: 'city', dispatcher: 'above' }, internalNote: true },
  /** 审批挂账 — approved: `suspended`, the clock and the timer stop. */
  'decide:suspension': { from: ['dispatched'], to: (from, v) => (v.approved ? 'suspended' : from), roles: { agent: 'city', leader: 'city' }, internalNote: true },
  /** 审批作废 — approved: `voided` (terminal, outside every denominator). */
  'decide:void': { from: ['filed', 'dispatched'], to: (from, v) => (v.approved ? 'voided' : from), roles: { agent: 'city', leader: 'city' }, internalNote: true },
  /** A decision with nothing to decide: refused in every status (409), to everyone who may decide (else 403). */
  'decide:none': { from: [], to: (from) => from, roles: { agent: 'city', leader: 'city', dispatcher: 'above' }, internalNote: true },
  /** 恢复 — a suspended case back to work with the time it had left. */
  resume: { from: ['suspended'], to: () => 'dispatched', roles: { agent: 'city', leader: 'city' }, internalNote: true },
  /** 督办 — a leader or the center presses the holding department (manual; not the timer's 超期升级). */
  supervise: { from: ['dispatched', 'suspended'], to: (from) => from, roles: { leader: 'city', agent: 'city' }, internalNote: true },

  // ── Duplicates ──
  /** 合并 — a duplicate joins an open case (`mergedInto`); its reporter follows that case. */
  merge: { from: ['reported', 'filed', 'dispatched'], to: () => 'merged', roles: { agent: 'city' }, internalNote: true },
  // ── Field checks (never change the status) ──
  /** 派发核实/核查 — send the grid's supervisor to check on site (核实 on reported, 核查 on handled cases). */
  'field-check': { from: ['reported', 'handled'], to: (from) => from, roles: { agent: 'city' }, internalNote: true },
  /** 核实/核查回复 — the assigned supervisor answers with what they found. */
  'field-check-answer': { from: ['reported', 'handled'], to: (from) => from, roles: { supervisor: 'field-checker' }, internalNote: true },
};

/**
 * Which steps cancel an open field check: the decision it was to inform was taken without it
 * (核实 → file, reject or merge; 核查 → verify).
 */
export const FIELD_CHECK_CANCELLED_BY: Record<FieldCheckKind, readonly CaseAction[]> = {
  'verify-report': ['file', 'reject', 'merge'],
  'check-result': ['verify'],
};

const RULE_KEYS = Object.keys(TRANSITIONS) as RuleKey[];

/** The roles that may take `action` at all, in any of its rows (in the contract's role order): the step's route access. */
export function rolesFor(action: CaseAction): readonly Role[] {
  const rows = RULE_KEYS.filter((key) => actionOf(key) === action);
  return ROLES.filter((role) => rows.some((key) => TRANSITIONS[key].roles[role] !== undefined));
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
  /** The caller is the supervisor of the case's latest field check. */
  isFieldChecker: boolean;
  /** The case's current assignment is strictly below the caller's department. */
  belowOwnDepartment: boolean;
}

const SCOPE_HOLDS: Record<ScopeRule, (facts: ScopeFacts) => boolean> = {
  city: () => true,
  subtree: (f) => f.inSubtree,
  'own-department': (f) => f.inOwnDepartment,
  above: (f) => f.belowOwnDepartment,
  assignee: (f) => f.isAssignee,
  reporter: (f) => f.isReporter,
  'field-checker': (f) => f.isFieldChecker,
};

/**
 * Decides whether `roles` may take `action` on a case in `status`: the role first (403), then the
 * status (409 INVALID_TRANSITION), then the scope (403). Returns the role that acts, or a refusal.
 */
export function decide(key: RuleKey, status: CaseStatus, roles: readonly Role[], facts: ScopeFacts): { role: Role } | Refusal {
  const rule = TRANSITIONS[key];
  const eligible = roles.filter((role) => rule.roles[role] !== undefined);
  if (eligible.length === 0) return { kind: 'forbidden', message: `Your role may not ${VERB[key]}` };
  if (!rule.from.includes(status)) return { kind: 'invalid-transition', message: `A ${status} case cannot be ${PAST[key]}` };
  const acting = eligible.find((role) => SCOPE_HOLDS[rule.roles[role]!](facts));
  if (!acting) return { kind: 'forbidden', message: `This case is outside your responsibility (${eligible.map((r) => rule.roles[r]).join(', ')})` };
  return { role: acting };
}

const PAST: Record<RuleKey, string> = {
  file: 'filed',
  reject: 'rejected',
  dispatch: 'dispatched',
  return: 'returned',
  complete: 'completed',
  verify: 'verified',
  rate: 'rated',
  'request:extension': 'extended (only dispatched cases)',
  'request:suspension': 'suspended (only dispatched cases)',
  'request:void': 'voided (only filed or dispatched cases)',
  'decide:extension': 'extended',
  'decide:suspension': 'suspended',
  'decide:void': 'voided',
  'decide:none': 'decided: no request is pending',
  resume: 'resumed',
  supervise: 'supervised (only dispatched or suspended cases)',
  merge: 'merged',
  'field-check': 'sent for a field check',
  'field-check-answer': 'answered',
};

const VERB: Record<RuleKey, string> = {
  file: 'file cases',
  reject: 'reject cases',
  dispatch: 'dispatch cases',
  return: 'return cases',
  complete: 'complete cases',
  verify: 'verify cases',
  rate: 'rate cases',
  'request:extension': 'request extensions',
  'request:suspension': 'request suspensions',
  'request:void': 'request voiding',
  'decide:extension': 'decide extension requests',
  'decide:suspension': 'decide suspension requests',
  'decide:void': 'decide void requests',
  'decide:none': 'decide requests',
  resume: 'resume cases',
  supervise: 'supervise cases',
  merge: 'merge cases',
  'field-check': 'send cases for field checks',
  'field-check-answer': 'answer field checks',
};
