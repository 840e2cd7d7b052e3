import type { Role } from '#shared/domain/roles';

/** 信息收集 reported · 案卷建立 filed · 案件派遣 dispatched · 案件处理 handled · 结案 closed · rejected. */
export const CASE_STATUSES = ['reported', 'filed', 'dispatched', 'handled', 'closed', 'rejected'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CHANNELS = ['app', 'wechat', 'hotline', 'patrol', 'open311'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Actions a person takes (the transition table's rows) and the system's own (escalation, later). */
export const CASE_ACTIONS = ['file', 'reject', 'dispatch', 'return', 'complete', 'verify', 'rate'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
/** Verification is recorded as `close` or `rework`, the contract's names for its two outcomes. */
export type TimelineAction = 'report' | CaseAction | 'close' | 'rework' | 'warn' | 'escalate';

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
  gridId?: string | undefined;
  gridName?: string | undefined;
  /** The grid's district (区), for district statistics. */
  district?: string | undefined;
  categoryCode?: string | undefined;
  categoryName?: string | undefined;
  /** The reporting user (citizen or supervisor); absent for hotline tickets. */
  reporterId?: string | undefined;
  /** Hotline cases: the caller's phone (E.164) for SMS feedback; never shown unmasked. */
  callerPhone?: string | undefined;
  /** Hotline cases: the 12345 system's ticket id. */
  hotlineTicketId?: string | undefined;
  /** Hotline cases: when the 12345 system received the call (may be before `createdAt`). */
  receivedAt?: string | undefined;
  assignment?: Assignment | undefined;
  /** Departments the case has been dispatched through, in order (for scope checks after re-dispatch). */
  dispatchPath: string[];
  firstDispatchedAt?: string | undefined;
  dueAt?: string | undefined;
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
  assigneeId?: string | undefined;
  photoKeys?: string[] | undefined;
  /** `escalate` events: the level reached. */
  escalationLevel?: number | undefined;
}

/** What differs between newly reported cases (channel, text, place, reporter…); the rest starts alike. */
export type NewCaseFields = Pick<Case, 'id' | 'channel' | 'description'> &
  Partial<Pick<Case, 'location' | 'address' | 'gridId' | 'gridName' | 'district' | 'categoryCode' | 'categoryName' | 'reporterId' | 'callerPhone' | 'hotlineTicketId' | 'receivedAt' | 'beforePhotoKeys'>>;

/**
 * 信息收集 — a case as it is first reported (any channel) and its first timeline event, `report`.
 * Both report routes (apps/patrol and the hotline) build their case here.
 */
export function newReportedCase(fields: NewCaseFields, at: Date, actor: CaseEvent['actor'], note?: string): { case: Case; event: CaseEvent } {
  const c: Case = {
    ...fields,
    status: 'reported',
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
