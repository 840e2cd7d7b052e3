import { deleteKv, getKv, getPhoto, photoKeysKept, deletePhotos, putKv, putPhoto } from './db.ts';
import type { QueuedAction } from './queue.ts';

/** A case as the API describes it (the fields the app shows). */
export interface Case {
  id: string;
  caseNumber?: string;
  status: string;
  channel: string;
  description: string;
  location?: { lat: number; lng: number };
  address?: string;
  gridId?: string;
  gridName?: string;
  categoryCode?: string;
  categoryName?: string;
  priority?: 'normal' | 'urgent';
  assignment?: { departmentId: string; departmentName: string; assigneeId?: string; assigneeName?: string };
  dueAt?: string;
  overdue?: boolean;
  reworkCount?: number;
  pendingRequest?: { kind: string; reason: string; hours?: number };
  fieldCheck?: { kind: string; supervisorId: string; supervisorName?: string; dueAt: string; answer?: unknown };
  beforePhotoKeys?: string[];
  version: number;
  createdAt: string;
}

export type TaskKind = 'handle' | 'rework' | 'verify-report' | 'check-result' | 'roll-call';

/** An item of `GET /v1/me/tasks` (the contract's union; roll calls carry `rollCall` instead of a case). */
export interface Task {
  kind: TaskKind;
  /** The check's due time or the case's deadline; absent when it has none. */
  dueAt?: string;
  caseId?: string;
  case?: Case;
  rollCall?: { id: string; dueAt: string; note?: string };
}

export interface TimelineEvent {
  seq: number;
  at: string;
  action: string;
  toStatus?: string;
  actor: { id: string; role: string; displayName?: string };
  note?: string;
  photoKeys?: string[];
}

export interface CaseDetail {
  case: Case;
  timeline: TimelineEvent[];
  photos: { before: Array<{ photoKey: string; url: string; thumbnailUrl?: string }>; after: Array<{ photoKey: string; url: string; thumbnailUrl?: string }> };
}

/** The server's answer to a roll call (点名): inside the area or how far outside, on time or late. */
export interface RollCallAnswer {
  id: string;
  dueAt?: string;
  answeredAt?: string;
  insideArea?: boolean;
  distanceToAreaMetres?: number | null;
  onTime?: boolean;
}

/** The task list as last fetched, and when. */
export interface KeptTasks {
  items: Task[];
  savedAt: string;
}

/** Urgent first, then the earliest due. */
export function sortTasks(items: Task[]): Task[] {
  const urgent = (t: Task) => (t.case?.priority === 'urgent' ? 0 : 1);
  const due = (t: Task) => t.dueAt ?? '9999';
  return [...items].sort((a, b) => urgent(a) - urgent(b) || due(a).localeCompare(due(b)));
}

export const keptTasks = () => getKv<KeptTasks>('tasks');
export const keepTasks = (items: Task[]) => putKv('tasks', { items, savedAt: new Date().toISOString() } satisfies KeptTasks);
export const keptDetail = (caseId: string) => getKv<CaseDetail>(`case:${caseId}`);
export const keepDetail = (detail: CaseDetail) => putKv(`case:${detail.case.id}`, detail);

/** A kept photo by its key (a blob), or undefined when it was never fetched. */
export const keptPhoto = getPhoto;

/** Fetches a photo's view URL (valid 300 s) once and keeps the bytes by `photoKey`. */
export async function keepPhoto(photoKey: string, url: string): Promise<void> {
  if (await getPhoto(photoKey)) return;
  const response = await fetch(url);
  if (!response.ok) return;
  await putPhoto(photoKey, await response.blob());
}

/** Forgets the cases (and their photos) no longer in the task list. */
export async function pruneKept(tasks: Task[]): Promise<void> {
  const keep = new Set(tasks.map((t) => t.caseId).filter(Boolean));
  const wanted = new Set<string>();
  for (const id of keep) {
    const detail = await keptDetail(id!);
    for (const p of [...(detail?.photos.before ?? []), ...(detail?.photos.after ?? [])]) wanted.add(p.photoKey);
  }
  const stale = (await photoKeysKept()).filter((k) => !wanted.has(k));
  if (stale.length) await deletePhotos(stale);
}

/** The roll-call answers kept (a day's worth at most: a person has one open roll call at a time). */
export const keptRollCallAnswers = async () => (await getKv<RollCallAnswer[]>('roll-call-answers')) ?? [];
const ANSWERS_KEPT_MS = 24 * 3600_000;

/**
 * What the phone keeps after the server accepted a queued action — in the page or in the service
 * worker, whichever sent it: the case as it now is (a finished task leaves the list); a roll call's
 * answer (the page shows it: the worker cannot tell the page otherwise).
 */
export async function acceptedAction(item: QueuedAction, answer: unknown): Promise<void> {
  const rollCall = (answer as { rollCall?: RollCallAnswer } | undefined)?.rollCall;
  if (item.kind === 'roll-call-answer' && rollCall) {
    const since = Date.now() - ANSWERS_KEPT_MS;
    const kept = (await keptRollCallAnswers()).filter((a) => a.id !== rollCall.id && Date.parse(a.answeredAt ?? '') > since);
    const { id, dueAt, answeredAt, insideArea, distanceToAreaMetres, onTime } = rollCall;
    await putKv('roll-call-answers', [...kept, { id, dueAt, answeredAt, insideArea, distanceToAreaMetres, onTime }]);
  }
  const updated = (answer as { case?: Case } | undefined)?.case;
  if (item.caseId && updated) {
    const detail = await keptDetail(item.caseId);
    if (detail) await keepDetail({ ...detail, case: updated });
  }
  if (item.caseId && ['complete', 'return', 'check-answer'].includes(item.kind)) {
    const tasks = await keptTasks();
    if (tasks) await putKv('tasks', { ...tasks, items: tasks.items.filter((t) => t.caseId !== item.caseId) });
  }
}

export { deleteKv };
