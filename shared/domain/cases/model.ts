import type { Role } from '#shared/domain/roles';

/**
 * 信息收集 reported · 案卷建立 filed · 案件派遣 dispatched · 案件处理 handled · 结案 closed · rejected ·
 * 挂账 suspended (parked, the deadline clock stopped) · 作废 voided (terminal, outside every denominator) ·
 * 合并 merged (terminal, the problem lives on in `mergedInto`; outside every denominator).
 */
export const CASE_STATUSES = ['reported', 'filed', 'dispatched', 'handled', 'closed', 'rejected', 'suspended', 'voided', 'merged'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses a case never leaves: everything else is **open** (on the nearness index, in work lists). */
export const FINAL_STATUSES: readonly CaseStatus[] = ['closed', 'rejected', 'voided', 'merged'];
export const isOpen = (status: CaseStatus) => !FINAL_STATUSES.includes(status);

/** Where a report came from: a citizen's app or WeChat, the 12345 hotline, a supervisor's patrol or video patrol (视频巡查), Open311. */
export const CHANNELS = ['app', 'wechat', 'hotline', 'patrol', 'video', 'open311'] as const;
/** 定位方式: `gps` the device's position (default), `map` a point picked on the map, `address` the centre of a community chosen by name. */
export const LOCATION_SOURCES = ['gps', 'map', 'address'] as const;
export type LocationSource = (typeof LOCATION_SOURCES)[number];
export type Channel = (typeof CHANNELS)[number];
/** A supervisor's own report (巡查 on the street or 视频巡查 at the center): counted for them in position evaluation. */
export const isSupervisorReport = (channel: Channel) => channel === 'patrol' || channel === 'video';

/** Actions a person takes (each has a route; the transition table has their rules). */
export const CASE_ACTIONS = [
  'file',
  'reject',
  'dispatch',
  'return',
  'complete',
  'verify',
  'rate',
  // Exceptions: 延期 · 挂账 · 作废 (a request and its decision), 恢复 resume, 督办 supervise.
  'request',
  'decide',
  'resume',
  'supervise',
  // Duplicates: 合并 merge; field checks: 派发核实/核查 and the supervisor's answer.
  'merge',
  'field-check',
  'field-check-answer',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
/**
 * Verification is recorded as `close` or `rework`, the contract's names for its two outcomes; a decision
 * on a request as `extend`, `suspend`, `void` (approved) or `decline` (refused, or withdrawn).
 */
export type TimelineAction = 'report' | Exclude<CaseAction, 'decide'> | 'close' | 'rework' | 'warn' | 'escalate' | 'extend' | 'suspend' | 'void' | 'decline';

/** 普通 normal · 紧急 urgent (deadline in clock hours, day and night; first in the queue). */
export const PRIORITIES = ['normal', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** 延期 extension · 挂账 suspension · 作废 void: what a request asks for. */
export const REQUEST_KINDS = ['extension', 'suspension', 'void'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** A request waiting for its decision (one per case). */
export interface PendingRequest {
  kind: RequestKind;
  reason: string;
  /** Extensions: hours to add (working hours; clock hours for an urgent case). */
  hours?: number | undefined;
  requestedBy: { id: string; role: Role; displayName: string };
  at: string;
  /** The department holding the case when it was asked (a change of department withdraws it). */
  departmentId?: string | undefined;
}

export interface Assignment {
  departmentId: string;
  departmentName: string;
  assigneeId?: string | undefined;
  assigneeName?: string | undefined;
}

export interface Rating {
  satisfied: boolean;
  score?: number | undefined;
  comment?: string | undefined;
  at: string;
}

export interface Case {
  id: string;
  caseNumber?: string | undefined;
  status: CaseStatus;
  channel: Channel;
  description: string;
  location?: { lat: number; lng: number } | undefined;
  address?: string | undefined;
  /** How a person gave the place (定位方式): their device's position, a point on the map, or a community chosen by name. */
  locationSource?: LocationSource | undefined;
  gridId?: string | undefined;
  gridName?: string | undefined;
  /** The grid's district (区), for district statistics. */
  district?: string | undefined;
  categoryCode?: string | undefined;
  categoryName?: string | undefined;
  /** The reporting user (citizen or supervisor); absent for hotline tickets. */
  reporterId?: string | undefined;
  /** Video patrol (视频巡查): the camera the supervisor reported from; staff only. */
  camera?: { id: string; name: string } | undefined;
  /** Hotline cases: the caller's phone (E.164) for SMS feedback; never shown unmasked. */
  callerPhone?: string | undefined;
  /** Hotline cases: the 12345 system's ticket id. */
  hotlineTicketId?: string | undefined;
  /** Cases from a client system (Open311): what it passed about its user and the report; staff only. */
  submission?: ClientSubmission | undefined;
  /** Hotline cases: when the 12345 system received the call (may be before `createdAt`). */
  receivedAt?: string | undefined;
  assignment?: Assignment | undefined;
  /** Departments the case has been dispatched through, in order (for scope checks after re-dispatch). */
  dispatchPath: string[];
  firstDispatchedAt?: string | undefined;
  /** Who filed the case and when (position evaluation: on-time filing, filings later withdrawn). */
  filedBy?: string | undefined;
  filedAt?: string | undefined;
  /**
   * Since when the case has waited for a dispatch by its holder — filed, dispatched to a department, or
   * returned to the center (position evaluation: on-time dispatch).
   */
  heldSince?: string | undefined;
  /** The last dispatch hop: who sent it and when (a return counts against that dispatch). */
  lastDispatch?: { by: string; at: string } | undefined;
  dueAt?: string | undefined;
  /** Absent on cases stored before priorities existed: `normal`. */
  priority?: Priority | undefined;
  /**
   * When the current deadline's clock started — the first dispatch, an approved extension or a resume —
   * and the escalation level then: warnings and escalation levels are planned from them.
   */
  clockStartedAt?: string | undefined;
  clockStartLevel?: number | undefined;
  /** Suspended cases: the time that was left on the deadline clock (working hours; clock hours if urgent). */
  remainingHours?: number | undefined;
  pendingRequest?: PendingRequest | undefined;
  /** Approved extensions (延期) and manual supervisions (督办) so far; absent = 0. */
  extensionCount?: number | undefined;
  supervisionCount?: number | undefined;
  escalationLevel: number;
  /** Seq of the dispatch or rework event whose deadline timer is the current one (older timers stop). */
  timerSeq?: number | undefined;
  /** When the system warned that the deadline is near (once per case). */
  warnedAt?: string | undefined;
  /** When the system first escalated the case for passing its deadline (红灯). */
  overdueSince?: string | undefined;
  /** When the system last escalated it (the next level comes at least one interval later). */
  escalatedAt?: string | undefined;
  reworkCount: number;
  rejectReason?: string | undefined;
  duplicateOf?: string | undefined;
  rating?: Rating | undefined;
  beforePhotoKeys: string[];
  afterPhotoKeys: string[];
  createdAt: string;
  updatedAt: string;
  closedAt?: string | undefined;
  /** When the handler last reported it done (on-time and overdue are judged by it). */
  completedAt?: string | undefined;
  /** Optimistic-lock counter: every transition writes version + 1 on condition of version. */
  version: number;
  /** Number of timeline events so far; the next event's seq is eventCount + 1. */
  eventCount: number;
  // — Duplicates —
  /** `merged` cases: the case that carries on the problem. */
  mergedInto?: string | undefined;
  /** "Me too" supporters plus the reports merged into this case (and their supporters); absent = 0. */
  supporterCount?: number | undefined;
  /** 12345 tickets of hotline cases merged into this one: they get this case's status callbacks. */
  followerTicketIds?: string[] | undefined;
  // — Field checks —
  /** The latest field check (核实/核查) by a supervisor: staff only, never shown to the reporter. */
  fieldCheck?: FieldCheck | undefined;
}

/** 核实 verify-report: is the report true (on `reported` cases)? 核查 check-result: is it fixed (on `handled` cases)? */
export const FIELD_CHECK_KINDS = ['verify-report', 'check-result'] as const;
export type FieldCheckKind = (typeof FIELD_CHECK_KINDS)[number];

export interface FieldCheck {
  kind: FieldCheckKind;
  supervisorId: string;
  supervisorName: string;
  requestedAt: string;
  dueAt: string;
  note?: string | undefined;
  answer?: { confirmed: boolean; note?: string | undefined; photoKeys?: string[] | undefined; at: string; late: boolean } | undefined;
  /** Set when the decision it was to inform was taken without it (then it can no longer be answered). */
  cancelledAt?: string | undefined;
}

/** Open = neither answered nor cancelled. */
export const openFieldCheck = (c: Pick<Case, 'fieldCheck'>) => (c.fieldCheck && !c.fieldCheck.answer && !c.fieldCheck.cancelledAt ? c.fieldCheck : undefined);

/**
 * Someone told about a case when it closes, besides its own reporter: a "me too" supporter or the
 * reporter of a merged case (`user`), the caller of a merged hotline case (`caller`), or — so a merge
 * copies nothing — a whole merged case (`case`: its reporter, caller and followers, looked up then).
 */
export type Follower =
  | { kind: 'user'; userId: string }
  | { kind: 'caller'; phone: string; ticketId?: string | undefined }
  | { kind: 'case'; caseId: string };

export const followerKey = (f: Follower) => (f.kind === 'user' ? `user#${f.userId}` : f.kind === 'caller' ? `caller#${f.phone}` : `case#${f.caseId}`);


/**
 * What a client system (Open311) passed with a report besides the problem itself: its key, its user's
 * contact and account, a link to media and answers to the service's questions. Staff may see it to
 * follow up; public reads never show it.
 */
export interface ClientSubmission {
  /** The API key's id and name the report came through. */
  client: { keyId: string; name: string };
  accountId?: string | undefined;
  deviceId?: string | undefined;
  email?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  /** E.164 when it was a valid number, else as given (never texted: the client informs its user). */
  phone?: string | undefined;
  mediaUrl?: string | undefined;
  attributes?: Record<string, string | string[]> | undefined;
}

/** One step of the timeline: who (id, role, name), when, from/to, what. */
export interface CaseEvent {
  caseId: string;
  seq: number;
  at: string;
  action: TimelineAction;
  fromStatus?: CaseStatus | undefined;
  toStatus: CaseStatus;
  /** Who acted; `departmentId` is the actor's own department when they had one (recorded on staff steps; older events lack it). */
  actor: { id: string; role: Role | 'system'; displayName: string; departmentId?: string | undefined };
  note?: string | undefined;
  /** Staff-internal: the note is hidden from the reporter. */
  internal: boolean;
  departmentId?: string | undefined;
  /** Dispatch events: the names at the time of the dispatch (staff views show who, not only ids). */
  departmentName?: string | undefined;
  assigneeId?: string | undefined;
  assigneeName?: string | undefined;
  photoKeys?: string[] | undefined;
  /** `escalate` events: the level reached. */
  escalationLevel?: number | undefined;
  /** `merge` events: the case merged into, and its number when it has one (for the reporter's SMS). */
  relatedCaseId?: string | undefined;
  relatedCaseNumber?: string | undefined;
  /** `request` and its decision: the kind asked for (and the hours of an extension). */
  requestKind?: RequestKind | undefined;
  hours?: number | undefined;
}

/** What differs between newly reported cases (channel, text, place, reporter…); the rest starts alike. */
export type NewCaseFields = Pick<Case, 'id' | 'channel' | 'description'> &
  Partial<Pick<Case, 'location' | 'address' | 'locationSource' | 'gridId' | 'gridName' | 'district' | 'categoryCode' | 'categoryName' | 'reporterId' | 'camera' | 'callerPhone' | 'hotlineTicketId' | 'receivedAt' | 'beforePhotoKeys' | 'submission'>>;

/**
 * 信息收集 — a case as it is first reported (any channel) and its first timeline event, `report`.
 * Every report route (apps/patrol, the hotline, Open311) builds its case here.
 */
export function newReportedCase(fields: NewCaseFields, at: Date, actor: CaseEvent['actor'], note?: string): { case: Case; event: CaseEvent } {
  const c: Case = {
    ...fields,
    status: 'reported',
    priority: 'normal',
    extensionCount: 0,
    supervisionCount: 0,
    dispatchPath: [],
    escalationLevel: 0,
    reworkCount: 0,
    beforePhotoKeys: fields.beforePhotoKeys ?? [],
    afterPhotoKeys: [],
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    version: 1,
    eventCount: 1,
  };
  const event: CaseEvent = {
    caseId: c.id,
    seq: 1,
    at: c.createdAt,
    action: 'report',
    toStatus: 'reported',
    actor,
    ...(note ? { note } : {}),
    internal: false,
    ...(c.beforePhotoKeys.length ? { photoKeys: c.beforePhotoKeys } : {}),
  };
  return { case: c, event };
}
