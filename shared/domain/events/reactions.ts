import type { Case, CaseEvent } from '#shared/domain/cases/model';
import { caseNumberLabel } from '#shared/domain/cases/views';

/**
 * What the event processor does about one new timeline event — decided here, purely; the processor only
 * carries it out (ARCHITECTURE §1, §5; issue 7). Every effect has a stable key so a redelivered stream
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
  | { kind: 'dispatchers'; departmentId: string };

export interface Reactions {
  /** Start the deadline timer named after this event (a dispatch or rework of a case with a deadline). */
  startTimer: boolean;
  sms: Array<{ to: Recipient; text: string }>;
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
}

/** The SMS signature (签名), the same as on verification codes. */
const SIGNATURE = '【CityGrid】';
const shortDate = (iso: string) => new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric' });
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/** When the citizen reported: for a 12345 call, when the hotline took it (its ticket may come later). */
const reportedAt = (c: Case) => c.receivedAt ?? c.createdAt;
const numberOf = (c: Case) => (c.caseNumber ? caseNumberLabel(c.caseNumber) : undefined);

/** Citizen feedback texts (Chinese, short, no links): accepted (filed), rejected, closed. */
export function citizenText(c: Case, e: CaseEvent): string | undefined {
  const number = numberOf(c);
  switch (e.action) {
    case 'file':
      return `${SIGNATURE}您${shortDate(reportedAt(c))}反映的问题已受理立案，案件编号${number}，我们将尽快派遣处置。`;
    case 'reject':
      // The reason as the event recorded it (a public note), not the case as it is now.
      return `${SIGNATURE}您${shortDate(reportedAt(c))}反映的问题经核实未予立案${e.note ? `，原因：${clip(e.note, 40)}` : ''}。如有疑问请致电12345。`;
    case 'close':
      return `${SIGNATURE}您反映的问题（案件编号${number}）已处置完毕并结案。${c.channel === 'hotline' ? '感谢您的监督。' : '欢迎在“我的案件”中评价处置结果。'}`;
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

export function reactionsTo(c: Case, e: CaseEvent): Reactions {
  const sms: Reactions['sms'] = [];
  const citizen = citizenOf(c);
  const text = citizenText(c, e);
  if (citizen && text) sms.push({ to: citizen, text });

  const number = numberOf(c) ?? c.id;
  if (e.action === 'warn') {
    const to: Recipient = e.assigneeId ? { kind: 'user', userId: e.assigneeId } : { kind: 'dispatchers', departmentId: e.departmentId ?? '' };
    if (e.assigneeId || e.departmentId) sms.push({ to, text: `${SIGNATURE}案件${number}临近处置时限（${c.dueAt ? shortDate(c.dueAt) : ''}），请尽快处置并上传处置后照片。` });
  }
  if (e.action === 'escalate' && e.departmentId) {
    const holder = c.assignment?.departmentName ?? '承办单位';
    const level = e.escalationLevel ?? c.escalationLevel;
    sms.push({ to: { kind: 'dispatchers', departmentId: e.departmentId }, text: `${SIGNATURE}督办：案件${number}已超过处置时限（第${level}级），请督促${holder}尽快处置。` });
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
  };
  return { startTimer: (e.action === 'dispatch' || e.action === 'rework') && c.dueAt !== undefined, sms, publish };
}
