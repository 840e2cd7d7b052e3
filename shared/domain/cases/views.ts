import { maskContacts } from '#shared/domain/contact-masking';
import { maskPhone } from '#shared/domain/phone';
import { publicPhotoKey } from '#shared/domain/photos/model';
import { ROLE_PUBLIC_NAMES, type Role } from '#shared/domain/roles';
import type { Case, CaseEvent, FieldCheck, PendingRequest } from './model.ts';

const pendingRequestView = (p: PendingRequest) => ({
  kind: p.kind,
  reason: p.reason,
  ...(p.hours !== undefined ? { hours: p.hours } : {}),
  requestedBy: p.requestedBy,
  at: p.at,
});

/** 【2026】字第【123】号 from `2026-000123`. */
export function caseNumberLabel(caseNumber: string): string {
  const [year, sequence] = caseNumber.split('-');
  return `【${year}】字第【${Number(sequence)}】号`;
}

/**
 * The stored number (`2026-000123`) of a number or its label (【2026】字第【123】号, brackets optional);
 * undefined when the text is neither.
 */
export function parseCaseNumber(text: string): string | undefined {
  // NFKC: full-width digits and hyphen (２０２６－０００１２３) are the ASCII ones; 【】 are left as they are.
  const plain = text.normalize('NFKC').trim();
  const match = /^(\d{4})-(\d{1,6})$/.exec(plain) ?? /^【?(\d{4})】?字第【?(\d{1,6})】?号$/.exec(plain);
  if (!match || Number(match[2]) < 1) return undefined;
  return `${match[1]}-${match[2]!.padStart(6, '0')}`;
}

/**
 * Overdue: a case still open past its due time (or one the escalation timer has marked overdue), or
 * one that was completed after its due time. A suspended case (挂账) is never overdue: its clock stopped.
 */
export function isOverdue(c: Case, now: Date): boolean {
  if (!c.dueAt) return false;
  const due = Date.parse(c.dueAt);
  if (c.status === 'dispatched' || c.status === 'filed') return c.overdueSince !== undefined || now.getTime() > due;
  if (c.completedAt && (c.status === 'handled' || c.status === 'closed')) return Date.parse(c.completedAt) > due;
  return false;
}

export type Viewer = 'staff' | 'reporter';

/**
 * The contract's `case`. Reporters see the department holding it but not who inside it (no assignee
 * id or name), and no staff-only field (hotline ticket, caller's number). New staff-only fields belong
 * in the `viewer === 'staff'` spreads. Free text a reporter reads (description, address, a rejection's
 * reason, notes) has phone numbers, e-mail addresses and ID card numbers hidden ({@link maskContacts}).
 */
export function caseView(c: Case, viewer: Viewer, now: Date) {
  const shown = (text: string) => (viewer === 'reporter' ? maskContacts(text) : text);
  const assignment = c.assignment && viewer === 'reporter' ? { departmentId: c.assignment.departmentId, departmentName: c.assignment.departmentName } : c.assignment;
  return {
    id: c.id,
    ...(c.caseNumber ? { caseNumber: c.caseNumber, caseNumberLabel: caseNumberLabel(c.caseNumber) } : {}),
    status: c.status,
    channel: c.channel,
    description: shown(c.description),
    ...(c.location ? { location: c.location } : {}),
    ...(c.address ? { address: shown(c.address) } : {}),
    ...(c.gridId ? { gridId: c.gridId, gridName: c.gridName } : {}),
    ...(c.categoryCode ? { categoryCode: c.categoryCode, categoryName: c.categoryName } : {}),
    ...(c.reporterId ? { reporterId: c.reporterId } : {}),
    // 视频巡查: which camera (reporters never see camera ids).
    ...(c.camera && viewer === 'staff' ? { camera: c.camera } : {}),
    ...(c.hotlineTicketId && viewer === 'staff' ? { hotlineTicketId: c.hotlineTicketId } : {}),
    ...(c.locationSource && viewer === 'staff' ? { locationSource: c.locationSource } : {}),
    // The caller's number is kept for SMS feedback only; staff see it masked, nobody sees it whole.
    ...(c.callerPhone && viewer === 'staff' ? { callerPhone: maskPhone(c.callerPhone) } : {}),
    // What an Open311 client passed about its user: staff follow up with it (phone masked, as above).
    ...(c.submission && viewer === 'staff' ? { submission: { ...c.submission, ...(c.submission.phone ? { phone: maskPhone(c.submission.phone) } : {}) } } : {}),
    ...(assignment ? { assignment } : {}),
    ...(c.dueAt ? { dueAt: c.dueAt } : {}),
    priority: c.priority ?? 'normal',
    // A request waiting for its decision: staff business, never shown to the reporter.
    ...(c.pendingRequest && viewer === 'staff' ? { pendingRequest: pendingRequestView(c.pendingRequest) } : {}),
    extensionCount: c.extensionCount ?? 0,
    supervisionCount: c.supervisionCount ?? 0,
    overdue: isOverdue(c, now),
    escalationLevel: c.escalationLevel,
    reworkCount: c.reworkCount,
    ...(c.rejectReason ? { rejectReason: shown(c.rejectReason) } : {}),
    ...(c.duplicateOf ? { duplicateOf: c.duplicateOf } : {}),
    ...(c.rating ? { rating: c.rating } : {}),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    version: c.version,
    ...(c.mergedInto ? { mergedInto: c.mergedInto } : {}),
    ...(c.supporterCount ? { supporterCount: c.supporterCount } : {}),
    // The field check informs the center's decision: staff only.
    ...(c.fieldCheck && viewer === 'staff' ? { fieldCheck: fieldCheckView(c.fieldCheck) } : {}),
  };
}

/** Timeline actions the reporter never sees (the center's own checks). */
export const STAFF_ONLY_ACTIONS: ReadonlySet<CaseEvent['action']> = new Set(['field-check', 'field-check-answer']);

/** `case.fieldCheck`: kind, who, when due, the answer (or when it was cancelled). */
function fieldCheckView(f: FieldCheck) {
  return {
    kind: f.kind,
    supervisorId: f.supervisorId,
    supervisorName: f.supervisorName,
    requestedAt: f.requestedAt,
    dueAt: f.dueAt,
    ...(f.note ? { note: f.note } : {}),
    ...(f.answer ? { answer: f.answer } : {}),
    ...(f.cancelledAt ? { cancelledAt: f.cancelledAt } : {}),
  };
}

/** Names the reporter's view may use for departments (the tree's public names). */
export interface PublicNames {
  departmentName(id: string): string | undefined;
}

/** Roles whose work is done in a department's name: a reporter reads the unit, not the role. */
const UNIT_ROLES: ReadonlySet<Role | 'system'> = new Set(['dispatcher', 'handler']);

/**
 * Who acted, as a reporter may see it: `{ role, displayName }` with the role's public name, or for a
 * department's officers and handlers that department's public name; never a staff member's id or name.
 * The system's own actors (timers, the 12345 hotline) keep their names, which name no person.
 */
export function publicActor(actor: CaseEvent['actor'], names: PublicNames | undefined): { role: Role | 'system'; displayName: string } {
  if (actor.role === 'system') return { role: 'system', displayName: actor.displayName };
  const unit = UNIT_ROLES.has(actor.role) && actor.departmentId ? names?.departmentName(actor.departmentId) : undefined;
  return { role: actor.role, displayName: unit ?? ROLE_PUBLIC_NAMES[actor.role] };
}

/** What a reporter reads for the city's command center (指挥中心). */
export const CENTER_PUBLIC_NAME = '城市管理指挥中心';
/** Steps that are the command center's decision whoever in it takes them: 核查 (close or rework) by an agent or a supervisor. */
const CENTER_ACTIONS: ReadonlySet<CaseEvent['action']> = new Set(['close', 'rework']);

/**
 * A timeline event. The reporter's view follows "What a reporter sees" for every action, present or
 * future: the actor reduced to {@link publicActor}, no assignee, no staff-internal note, photo keys
 * without user ids, contact details in notes hidden. Fields a later event kind adds reach staff only unless they are listed here.
 */
export function eventView(e: CaseEvent, viewer: Viewer, names?: PublicNames) {
  if (viewer === 'reporter') {
    return {
      seq: e.seq,
      at: e.at,
      action: e.action,
      ...(e.fromStatus ? { fromStatus: e.fromStatus } : {}),
      toStatus: e.toStatus,
      // The unit that acted (the actor's department), never the unit the case was sent to.
      actor: CENTER_ACTIONS.has(e.action) && e.actor.role !== 'system' ? { role: e.actor.role, displayName: CENTER_PUBLIC_NAME } : publicActor(e.actor, names),
      ...(e.note && !e.internal ? { note: maskContacts(e.note) } : {}),
      ...(e.departmentId ? { departmentId: e.departmentId } : {}),
      ...(e.departmentName ? { departmentName: e.departmentName } : {}),
      ...(e.photoKeys?.length ? { photoKeys: e.photoKeys.map(publicPhotoKey) } : {}),
      ...(e.escalationLevel ? { escalationLevel: e.escalationLevel } : {}),
      // 合并: the number of the case carrying the problem on (the reporter was texted it); not its id.
      ...(e.relatedCaseNumber ? { relatedCaseNumber: e.relatedCaseNumber, relatedCaseNumberLabel: caseNumberLabel(e.relatedCaseNumber) } : {}),
    };
  }
  return {
    seq: e.seq,
    at: e.at,
    action: e.action,
    ...(e.fromStatus ? { fromStatus: e.fromStatus } : {}),
    toStatus: e.toStatus,
    actor: e.actor,
    ...(e.note ? { note: e.note } : {}),
    ...(e.departmentId ? { departmentId: e.departmentId } : {}),
    ...(e.departmentName ? { departmentName: e.departmentName } : {}),
    ...(e.assigneeId && viewer === 'staff' ? { assigneeId: e.assigneeId, ...(e.assigneeName ? { assigneeName: e.assigneeName } : {}) } : {}),
    ...(e.photoKeys?.length ? { photoKeys: e.photoKeys } : {}),
    ...(e.escalationLevel ? { escalationLevel: e.escalationLevel } : {}),
    ...(e.relatedCaseId ? { relatedCaseId: e.relatedCaseId } : {}),
    ...(e.relatedCaseNumber ? { relatedCaseNumber: e.relatedCaseNumber, relatedCaseNumberLabel: caseNumberLabel(e.relatedCaseNumber) } : {}),
    ...(e.requestKind && viewer === 'staff' ? { requestKind: e.requestKind, ...(e.hours !== undefined ? { hours: e.hours } : {}) } : {}),
  };
}
