import type { Case, CaseEvent } from '#shared/domain/cases/model';
import { caseNumberLabel } from '#shared/domain/cases/views';
import { maskContacts } from '#shared/domain/contact-masking';
import type { SmsMessage } from '#shared/domain/messaging/sms-templates';

/**
 * What the event processor does about one new timeline event — decided here, purely; the processor only
 * carries it out. Every effect has a stable key so a redelivered stream
 * record does it at most once.
 */
export type Recipient =
  /** The citizen who reported (app / WeChat), on the phone of their account. */
  | { kind: 'reporter' }
  /** The 12345 caller of a hotline case, on the number the hotline passed on. */
  | { kind: 'caller' }
  /** One staff member (the assigned handler). */
  | { kind: 'user'; userId: string }
  /** The active dispatchers of a department. */
  | { kind: 'dispatchers'; departmentId: string }
  /** The case's followers: "me too" supporters and the reporters and callers of cases merged into it. */
  | { kind: 'followers' };

export interface Reactions {
  /** Start the deadline timer named after this event (a dispatch, rework, extension or resume of a case with a deadline). */
  startTimer: boolean;
  /** Template messages (the SMS port renders or sends them as registered templates). */
  sms: Array<{ to: Recipient; message: SmsMessage }>;
  /** The `case-events` topic message: every timeline event, for the center's console and the hotline. */
  publish: CaseEventMessage;
}

/** A timeline event as the `case-events` topic carries it: no phone numbers, no staff-internal notes. */
export interface CaseEventMessage {
  /** `{caseId}.{seq}` — stable, so subscribers can drop duplicates. */
  id: string;
  type: 'case.event';
  caseId: string;
  caseNumber?: string | undefined;
  channel: Case['channel'];
  hotlineTicketId?: string | undefined;
  seq: number;
  action: CaseEvent['action'];
  fromStatus?: CaseEvent['fromStatus'];
  toStatus: CaseEvent['toStatus'];
  /** True when the status changed, or the case went back for rework (what the hotline is told about; not the report itself). */
  statusChange: boolean;
  at: string;
  actor: { role: CaseEvent['actor']['role']; displayName: string };
  departmentId?: string | undefined;
  escalationLevel?: number | undefined;
  /** Only notes the reporter may see (e.g. a rejection's reason). */
  note?: string | undefined;
  // — Duplicates —
  /** `merge` events: the case this one was merged into (and its number, when filed). */
  mergedInto?: string | undefined;
  mergedIntoCaseNumber?: string | undefined;
  /** 12345 tickets of hotline cases merged into this case: they get its status callbacks too. */
  followerTicketIds?: string[] | undefined;
}

const shortDate = (iso: string) => new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric' });
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/** When the citizen reported: for a 12345 call, when the hotline took it (its ticket may come later). */
const reportedAt = (c: Case) => c.receivedAt ?? c.createdAt;
const numberOf = (c: Case) => (c.caseNumber ? caseNumberLabel(c.caseNumber) : undefined);

/** Citizen feedback (Chinese, short, no links): accepted (filed), rejected, voided, closed. */
export function citizenMessage(c: Case, e: CaseEvent): SmsMessage | undefined {
  const caseNumber = numberOf(c) ?? c.id;
  switch (e.action) {
    case 'file':
      return { template: 'case-filed', params: { date: shortDate(reportedAt(c)), caseNumber } };
    case 'reject':
      // The reason as the event recorded it (a public note), not the case as it is now.
      return { template: 'case-rejected', params: { date: shortDate(reportedAt(c)), reason: e.note ? clip(maskContacts(e.note), 40) : '不属于受理范围' } };
    case 'void':
      // 作废 is told like a rejection; the staff's reasons stay internal.
      return { template: 'case-voided', params: { date: shortDate(reportedAt(c)), caseNumber } };
    case 'close':
      return { template: c.channel === 'hotline' ? 'case-closed-hotline' : 'case-closed', params: { caseNumber } };
    case 'merge':
      return e.relatedCaseNumber
        ? { template: 'case-merged', params: { date: shortDate(reportedAt(c)), caseNumber: caseNumberLabel(e.relatedCaseNumber) } }
        : { template: 'case-merged-unnumbered', params: { date: shortDate(reportedAt(c)) } };
    default:
      return undefined;
  }
}

/** Who hears about a case on behalf of its reporter: app/WeChat citizens and 12345 callers (not patrol staff). */
function citizenOf(c: Case): Recipient | undefined {
  if (c.channel === 'hotline') return c.callerPhone ? { kind: 'caller' } : undefined;
  if ((c.channel === 'app' || c.channel === 'wechat') && c.reporterId) return { kind: 'reporter' };
  return undefined;
}

/** Followers are told when the case they follow closes (they reported or supported the same problem). */
export function followerMessage(c: Case): SmsMessage {
  return { template: 'case-closed-follower', params: { caseNumber: numberOf(c) ?? c.id } };
}

const shortTime = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/** To the supervisor sent on a field check: what, where, by when. */
export function fieldCheckMessage(c: Case): SmsMessage | undefined {
  const check = c.fieldCheck;
  if (!check) return undefined;
  return {
    template: 'field-check',
    params: { kind: check.kind === 'verify-report' ? '核实' : '核查', caseNumber: numberOf(c) ?? c.id, place: clip(c.address ?? c.gridName ?? '现场', 30), due: shortTime(check.dueAt) },
  };
}

/** The events that start a fresh deadline timer (each sets the case's `timerSeq` to its own seq). */
const TIMER_STARTS: readonly CaseEvent['action'][] = ['dispatch', 'rework', 'extend', 'resume'];

export function reactionsTo(c: Case, e: CaseEvent): Reactions {
  const sms: Reactions['sms'] = [];
  // A merged report's reporter follows the other case — patrol supervisors included — so all are told.
  const citizen = e.action === 'merge' ? (c.callerPhone ? { kind: 'caller' as const } : c.reporterId ? { kind: 'reporter' as const } : undefined) : citizenOf(c);
  const message = citizenMessage(c, e);
  if (citizen && message) sms.push({ to: citizen, message });
  if (e.action === 'close') sms.push({ to: { kind: 'followers' }, message: followerMessage(c) });
  const check = e.action === 'field-check' && e.assigneeId ? fieldCheckMessage(c) : undefined;
  if (check && e.assigneeId) sms.push({ to: { kind: 'user', userId: e.assigneeId }, message: check });

  const number = numberOf(c) ?? c.id;
  if (e.action === 'warn') {
    const to: Recipient = e.assigneeId ? { kind: 'user', userId: e.assigneeId } : { kind: 'dispatchers', departmentId: e.departmentId ?? '' };
    if (e.assigneeId || e.departmentId) sms.push({ to, message: { template: 'deadline-warning', params: { caseNumber: number, dueDate: c.dueAt ? shortDate(c.dueAt) : '' } } });
  }
  if (e.action === 'escalate' && e.departmentId) {
    const holder = c.assignment?.departmentName ?? '承办单位';
    const level = e.escalationLevel ?? c.escalationLevel;
    sms.push({ to: { kind: 'dispatchers', departmentId: e.departmentId }, message: { template: 'escalation', params: { caseNumber: number, level: String(level), holder } } });
  }
  if (e.action === 'supervise') {
    // 督办 (manual): the holding department's dispatchers and the assignee.
    const message: SmsMessage = { template: 'supervision', params: { caseNumber: number, by: e.actor.role === 'leader' ? '领导' : '指挥中心', note: e.note ? `（${clip(e.note, 40)}）` : '' } };
    if (e.departmentId) sms.push({ to: { kind: 'dispatchers', departmentId: e.departmentId }, message });
    if (e.assigneeId) sms.push({ to: { kind: 'user', userId: e.assigneeId }, message });
  }

  const publish: CaseEventMessage = {
    id: `${c.id}.${e.seq}`,
    type: 'case.event',
    caseId: c.id,
    ...(c.caseNumber ? { caseNumber: c.caseNumber } : {}),
    channel: c.channel,
    ...(c.hotlineTicketId ? { hotlineTicketId: c.hotlineTicketId } : {}),
    seq: e.seq,
    action: e.action,
    ...(e.fromStatus ? { fromStatus: e.fromStatus } : {}),
    toStatus: e.toStatus,
    statusChange: e.action !== 'report' && (e.fromStatus !== e.toStatus || e.action === 'rework'),
    at: e.at,
    // A citizen's default name ends with their phone's last digits: subscribers get the role only.
    actor: { role: e.actor.role, displayName: e.actor.role === 'citizen' ? '市民' : e.actor.displayName },
    ...(e.departmentId ? { departmentId: e.departmentId } : {}),
    ...(e.action === 'escalate' ? { escalationLevel: e.escalationLevel ?? c.escalationLevel } : {}),
    ...(e.note && !e.internal ? { note: e.note } : {}),
    ...(e.action === 'merge' && e.relatedCaseId ? { mergedInto: e.relatedCaseId, ...(e.relatedCaseNumber ? { mergedIntoCaseNumber: e.relatedCaseNumber } : {}) } : {}),
    ...(c.followerTicketIds?.length ? { followerTicketIds: c.followerTicketIds } : {}),
  };
  return { startTimer: TIMER_STARTS.includes(e.action) && c.dueAt !== undefined, sms, publish };
}
