import type { KeptTasks, Task } from './cache.ts';
import { countdown, TASK_KINDS } from './labels.ts';

/**
 * The first screen of 城管通: the task list as last kept, drawn before Vue and Vant are even evaluated.
 * On a slow phone, evaluating them takes most of a second; the entry chunk (this module, the labels and
 * the CSS) draws the kept list into `#app` as plain DOM with Vant's classes, then loads the app, whose
 * mount replaces it with the same list, live. Only for the person logged in, and only on 任务.
 */
export const SESSION_KEY = 'citygrid.field.session';
const FIRST_SCREEN_KEY = 'citygrid.field.first-screen';

/** The snapshot of the task list in localStorage (synchronous: IndexedDB can take a second to open cold), when it is this person's. */
export function readFirstScreen(userId: string | undefined): KeptTasks | undefined {
  try {
    const kept = JSON.parse(localStorage.getItem(FIRST_SCREEN_KEY) ?? 'null') as (KeptTasks & { userId: string }) | null;
    return kept && userId && kept.userId === userId ? { items: kept.items, savedAt: kept.savedAt } : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the snapshot for this person, or forgets it (logout). */
export function writeFirstScreen(userId: string | undefined, kept: KeptTasks | undefined): void {
  try {
    if (kept && userId) localStorage.setItem(FIRST_SCREEN_KEY, JSON.stringify({ userId, ...kept }));
    else localStorage.removeItem(FIRST_SCREEN_KEY);
  } catch {
    // No room or no storage: the first screen waits for IndexedDB.
  }
}

/** What a row of 任务 shows (the page and the first screen alike). */
export function taskRow(t: Task, now: number) {
  return {
    task: t,
    key: t.caseId ?? t.rollCall?.id ?? t.dueAt,
    title: t.case ? (t.case.caseNumber ? `${t.case.caseNumber} ${t.case.categoryName ?? ''}` : t.case.description.slice(0, 20)) : (t.rollCall?.note ?? '点名'),
    place: t.case?.address ?? t.case?.gridName ?? '',
    due: t.dueAt ? countdown(t.dueAt, now) : { text: '无时限', overdue: false },
  };
}

const el = (tag: string, className: string, text?: string): HTMLElement => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

/** Draws the kept list into `#app` (text through textContent only); Vue's mount replaces it. */
export function drawFirstScreen(): void {
  const app = document.getElementById('app');
  if (!app || !/^\/field\/(tasks\/?)?$/.test(location.pathname)) return;
  let userId: string | undefined;
  try {
    userId = (JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as { user?: { id?: string } } | null)?.user?.id;
  } catch {
    return;
  }
  const kept = readFirstScreen(userId);
  if (!kept?.items.length) return;
  const page = el('div', 'page');
  const bar = el('div', 'van-nav-bar van-hairline--bottom');
  const content = el('div', 'van-nav-bar__content');
  content.append(el('div', 'van-nav-bar__title van-ellipsis', '任务'));
  bar.append(content);
  const list = el('div', 'van-cell-group van-cell-group--inset');
  list.style.marginTop = '12px';
  list.dataset.test = 'task-list';
  const now = Date.now();
  for (const row of kept.items.map((t) => taskRow(t, now))) {
    const cell = el(row.task.caseId ? 'a' : 'div', 'van-cell van-cell--clickable');
    cell.dataset.test = 'task';
    if (row.task.caseId) cell.setAttribute('href', `/field/tasks/${encodeURIComponent(row.task.caseId)}`);
    const title = el('div', 'van-cell__title');
    if (row.task.case?.priority === 'urgent') title.append(el('span', 'van-tag van-tag--danger', '紧急'));
    title.append(el('span', 'van-tag van-tag--primary van-tag--plain', TASK_KINDS[row.task.kind] ?? row.task.kind), el('span', '', row.title));
    const label = el('div', 'van-cell__label');
    label.append(el('div', '', row.task.case?.description ?? ''), el('div', 'muted', row.place));
    title.append(label);
    const value = el('div', 'van-cell__value');
    const due = el('span', row.due.overdue ? 'overdue' : '', row.due.text);
    due.dataset.test = 'countdown';
    value.append(due);
    cell.append(title, value);
    list.append(cell);
  }
  page.append(bar, list);
  app.replaceChildren(page);
}
