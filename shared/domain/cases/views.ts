import { maskPhone } from '#shared/domain/phone';
import type { Role } from '#shared/domain/roles';
import type { Case, CaseEvent, PendingRequest } from './model.ts';

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
  const match = /^(\d{4})-(\d{1,6})$/.exec(text.trim()) ?? /^【?(\d{4})】?字第【?(\d{1,6})】?号$/.exec(text.trim());
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

/** The contract's `case`. Reporters do not see who inside a department holds it. */
export function caseView(c: Case, viewer: Viewer, now: Date) {
  const assignment = c.assignment && viewer === 'reporter' ? { departmentId: c.assignment.departmentId, departmentName: c.assignment.departmentName } : c.assignment;
  return {
    id: c.id,
    ...(c.caseNumber ? { caseNumber: c.caseNumber, caseNumberLabel: caseNumberLabel(c.caseNumber) } : {}),
    status: c.status,
    channel: c.channel,
    description: c.description,
    ...(c.location ? { location: c.location } : {}),
    ...(c.address ? { address: c.address } : {}),
    ...(c.gridId ? { gridId: c.gridId, gridName: c.gridName } : {}),
    ...(c.categoryCode ? { categoryCode: c.categoryCode, categoryName: c.categoryName } : {}),
    ...(c.reporterId ? { reporterId: c.reporterId } : {}),
    ...(c.hotlineTicketId && viewer === 'staff' ? { hotlineTicketId: c.hotlineTicketId } : {}),
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
    ...(c.rejectReason ? { rejectReason: c.rejectReason } : {}),
    ...(c.duplicateOf ? { duplicateOf: c.duplicateOf } : {}),
    ...(c.rating ? { rating: c.rating } : {}),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    version: c.version,
  };
}

/** A timeline event; for the reporter, staff-internal notes and staff ids are left out. */
export function eventView(e: CaseEvent, viewer: Viewer) {
  const actor: { id?: string; role: Role | 'system'; displayName: string } =
    viewer === 'reporter' ? { role: e.actor.role, displayName: e.actor.displayName } : e.actor;
  return {
    seq: e.seq,
    at: e.at,
    action: e.action,
    ...(e.fromStatus ? { fromStatus: e.fromStatus } : {}),
    toStatus: e.toStatus,
    actor,
    ...(e.note && !(viewer === 'reporter' && e.internal) ? { note: e.note } : {}),
    ...(e.departmentId ? { departmentId: e.departmentId } : {}),
    ...(e.departmentName ? { departmentName: e.departmentName } : {}),
    ...(e.assigneeId && viewer === 'staff' ? { assigneeId: e.assigneeId, ...(e.assigneeName ? { assigneeName: e.assigneeName } : {}) } : {}),
    ...(e.photoKeys?.length ? { photoKeys: e.photoKeys } : {}),
    ...(e.escalationLevel ? { escalationLevel: e.escalationLevel } : {}),
    ...(e.requestKind && viewer === 'staff' ? { requestKind: e.requestKind, ...(e.hours !== undefined ? { hours: e.hours } : {}) } : {}),
  };
}
