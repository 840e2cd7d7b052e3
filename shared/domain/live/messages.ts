import { createHash } from 'node:crypto';
import type { Case } from '#shared/domain/cases/model';
import { caseNumberLabel } from '#shared/domain/cases/views';
import { maskContacts } from '#shared/domain/contact-masking';
import type { CaseEventMessage } from '#shared/domain/events/reactions';
import type { DepartmentTree } from '#shared/domain/reference/departments';

/**
 * 实时推送 — the messages of the command center's live channel (the contract's "Live updates"): what a
 * console hears about as it happens. Case messages are made from the `case-events` topic by the fan-out
 * subscriber; the duty and roll-call routes publish theirs on the same topic ({@link liveMessage}).
 */
export { LIVE_ID_PATTERN, LIVE_TYPES, type LiveType } from './types.ts';
import { LIVE_ID_PATTERN, type LiveType } from './types.ts';

/** What a socket receives (and `GET /v1/live/missed` lists). */
export interface LiveMessage {
  /** Time-ordered and unique: {@link liveId}. */
  id: string;
  type: LiveType;
  at: string;
  caseId?: string | undefined;
  caseNumber?: string | undefined;
  departmentId?: string | undefined;
  /** One line in Chinese for the notification. */
  summary: string;
}

/** Who may hear a message besides the city-wide roles (never sent to clients). */
export interface LiveAudience {
  /** The department concerned and its ancestors: a dispatcher of any of them hears it (its subtree). */
  departmentPath?: string[] | undefined;
  /** The people whose task, roll call or case it is (handlers, supervisors). */
  userIds?: string[] | undefined;
}

/** A message as stored and carried on the topic: the message and its audience. */
export interface StoredLiveMessage extends LiveMessage {
  audience: LiveAudience;
}

/** The topic envelope of a message published by a route (case messages travel as `case.event`). */
export interface LiveEnvelope {
  type: 'live';
  message: StoredLiveMessage;
}


/**
 * The id of a message: its time (so ids sort in time order, as text) and a digest of what it is about
 * (`source`: e.g. `{caseId}.{seq}`), so a message made twice — a redelivered topic message — gets the same
 * id, and consoles drop the repeat.
 */
export function liveId(at: Date, source: string): string {
  const time = Math.max(0, at.getTime()).toString(36).padStart(9, '0');
  return `${time}-${createHash('sha256').update(source).digest('hex').slice(0, 12)}`;
}

/** The instant an id was made for (epoch ms); NaN for a string that is not an id. */
export const liveIdTime = (id: string) => (LIVE_ID_PATTERN.test(id) ? parseInt(id.slice(0, 9), 36) : Number.NaN);

/** The lowest id of an instant (an exclusive lower bound for ids from then on). */
export const liveIdFloor = (ms: number) => `${Math.max(0, ms).toString(36).padStart(9, '0')}-`;

/** A department and its ancestors (empty for an unknown one). */
export function departmentPath(tree: Pick<DepartmentTree, 'get' | 'ancestors'>, departmentId: string | undefined): string[] {
  if (!departmentId || !tree.get(departmentId)) return [];
  return [departmentId, ...tree.ancestors(departmentId).map((d) => d.id)];
}

/** The live type of a timeline action; actions the channel does not carry have none. */
const TYPE_OF_ACTION: Partial<Record<CaseEventMessage['action'], LiveType>> = {
  report: 'case.reported',
  file: 'case.filed',
  dispatch: 'case.dispatched',
  complete: 'case.handled',
  close: 'case.closed',
  warn: 'case.warned',
  escalate: 'case.escalated',
  request: 'request.pending',
  'field-check-answer': 'field-check.answered',
};

export const liveTypeOf = (action: string): LiveType | undefined => TYPE_OF_ACTION[action as CaseEventMessage['action']];

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const REQUEST_NAMES = { extension: '延期', suspension: '挂账', void: '作废' } as const;

/** The notification's line: what happened to which case (no phone numbers: addresses are masked). */
function summaryOf(type: LiveType, event: CaseEventMessage, c: Case, holderName: string | undefined): string {
  const number = c.caseNumber ? caseNumberLabel(c.caseNumber) : '新案件';
  switch (type) {
    case 'case.reported':
      return clip(`新上报：${c.categoryName ?? '城市管理问题'}${c.address ? ` · ${maskContacts(c.address)}` : c.gridName ? ` · ${c.gridName}` : ''}`, 80);
    case 'case.filed':
      return `${number} 已立案${c.categoryName ? `（${c.categoryName}）` : ''}`;
    case 'case.dispatched':
      // The department the dispatch named (the case may have moved on by the time the fan-out runs).
      if (holderName && holderName !== c.assignment?.departmentName) return `${number} 已派遣至${holderName}`;
      return `${number} 已派遣至${c.assignment?.departmentName ?? '承办单位'}${c.assignment?.assigneeName ? ` · ${c.assignment.assigneeName}` : ''}`;
    case 'case.handled':
      return `${number} 已处置，待核查`;
    case 'case.closed':
      return `${number} 已结案`;
    case 'case.warned':
      return `${number} 即将超时（黄灯预警）`;
    case 'case.escalated':
      return `${number} 已超时，升级至第 ${event.escalationLevel ?? c.escalationLevel ?? 1} 级`;
    case 'request.pending':
      return `${number} 申请${c.pendingRequest ? REQUEST_NAMES[c.pendingRequest.kind] : ''}，待审批`;
    case 'field-check.answered':
      return `${number} 的${c.fieldCheck?.kind === 'check-result' ? '核查' : '核实'}已回复`;
    default:
      return number;
  }
}

/** Actions taken before any department holds the case: their messages are the center's alone. */
const BEFORE_DISPATCH = new Set<CaseEventMessage['action']>(['report', 'file']);

/**
 * The live message of a `case-events` message, or undefined when the channel does not carry its action.
 * The audience is who held the case when the event happened: none for a report or a filing (the center's,
 * even when the case has been dispatched by the time the fan-out runs), the department a dispatch sent
 * it to, and otherwise the case as it is now — the holding department's path, its assignee and the
 * supervisor of its field check.
 */
export function caseLiveMessage(event: CaseEventMessage, c: Case, tree: Pick<DepartmentTree, 'get' | 'ancestors'>): StoredLiveMessage | undefined {
  const type = liveTypeOf(event.action);
  if (!type) return undefined;
  const centerOnly = BEFORE_DISPATCH.has(event.action);
  const holder = centerOnly ? undefined : event.action === 'dispatch' ? (event.departmentId ?? c.assignment?.departmentId) : (c.assignment?.departmentId ?? event.departmentId);
  const userIds = centerOnly ? [] : [c.assignment?.assigneeId, c.fieldCheck?.supervisorId].filter((id): id is string => Boolean(id));
  const path = departmentPath(tree, holder);
  return {
    id: liveId(new Date(event.at), event.id),
    type,
    at: event.at,
    caseId: event.caseId,
    ...(event.caseNumber ? { caseNumber: event.caseNumber } : {}),
    ...(holder ? { departmentId: holder } : {}),
    summary: summaryOf(type, event, c, holder ? tree.get(holder)?.name : undefined),
    audience: { ...(path.length ? { departmentPath: path } : {}), ...(userIds.length ? { userIds: [...new Set(userIds)] } : {}) },
  };
}

/** What a route says about a live message of its own (roll calls, duty): the id and audience are made here. */
export interface LiveInput {
  type: LiveType;
  at: Date;
  /** What the message is about, unique per happening (e.g. `roll-call:{id}:answered`): the same source, the same id. */
  source: string;
  summary: string;
  /** The department concerned (the person's): dispatchers of it and above hear it. */
  departmentId?: string | undefined;
  /** The people it concerns (the supervisor called, the person on duty). */
  userIds?: string[] | undefined;
  caseId?: string | undefined;
  caseNumber?: string | undefined;
}

/** Where a use case publishes its own live message (shared/wiring/live-publisher.ts): best effort, never throws. */
export interface LivePort {
  publish(input: LiveInput): Promise<void>;
}

/** A route's live message, ready to publish. */
export function liveMessage(input: LiveInput, tree: Pick<DepartmentTree, 'get' | 'ancestors'>): StoredLiveMessage {
  const path = departmentPath(tree, input.departmentId);
  return {
    id: liveId(input.at, input.source),
    type: input.type,
    at: input.at.toISOString(),
    ...(input.caseId ? { caseId: input.caseId } : {}),
    ...(input.caseNumber ? { caseNumber: input.caseNumber } : {}),
    ...(input.departmentId ? { departmentId: input.departmentId } : {}),
    summary: clip(input.summary, 120),
    audience: { ...(path.length ? { departmentPath: path } : {}), ...(input.userIds?.length ? { userIds: [...new Set(input.userIds)] } : {}) },
  };
}

/** The message as a client gets it (the audience stays on the server). */
export const publicLiveMessage = ({ audience: _audience, ...message }: StoredLiveMessage): LiveMessage => message;
