import { DEFAULT_CALENDAR, withCalendarYears, type WorkingCalendar } from '#shared/domain/calendar';
import { GridIndex } from '#shared/domain/geo/grid-index';
import type { Camera } from '#shared/domain/reference/camera';
import type { Category } from '#shared/domain/reference/category';
import { DepartmentTree } from '#shared/domain/reference/departments';
import type { ReferenceKind, ReferenceReads } from './reference-reads.ts';

interface Slot<T> {
  version: number;
  value: T;
}

/**
 * Reference data cached per container: a read checks the kind's version item (one consistent GetItem)
 * at most every `maxStaleMs`, and reloads the list (rebuilding the R-tree) only when the version moved.
 * Concurrent callers share one reload; a write in this container invalidates its own copy at once.
 */
export function createReferenceCache(store: ReferenceReads, options: { maxStaleMs?: number; now?: () => number } = {}) {
  const maxStaleMs = options.maxStaleMs ?? 0;
  const now = options.now ?? Date.now;
  const slots = new Map<ReferenceKind, Slot<unknown> & { checkedAt: number }>();
  const loading = new Map<string, Promise<unknown>>();

  async function cached<T>(kind: ReferenceKind, build: () => Promise<T>): Promise<T> {
    const fresh = slots.get(kind);
    if (fresh && now() - fresh.checkedAt < maxStaleMs) return fresh.value as T;
    const version = await store.version(kind);
    const slot = slots.get(kind);
    if (slot && slot.version === version) {
      slot.checkedAt = now();
      return slot.value as T;
    }
    const key = `${kind}@${version}`;
    let pending = loading.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = build().then((value) => {
        slots.set(kind, { version, value, checkedAt: now() });
        return value;
      });
      loading.set(key, pending);
      pending.finally(() => loading.delete(key)).catch(() => undefined);
    }
    return pending;
  }

  return {
    /** Forget a kind (after this container wrote it), so the next read checks the version. */
    invalidate: (kind: ReferenceKind) => void slots.delete(kind),
    departments: () => cached('departments', async () => new DepartmentTree(await store.listDepartments())),
    categories: () =>
      cached('categories', async () => new Map<string, Category>((await store.listCategories()).map((c) => [c.code, c]))),
    grids: () => cached('grids', async () => new GridIndex(await store.listGrids())),
    /** The working calendar: the built-in one with the city's stored years in place of its own. */
    /** The cameras of the video network (视频巡查), by id. */
    cameras: () => cached('cameras', async () => new Map<string, Camera>((await store.listCameras()).map((c) => [c.id, c]))),
    calendar: () => cached<WorkingCalendar>('calendar', async () => withCalendarYears(DEFAULT_CALENDAR, await store.listCalendarYears())),
  };
}

export type ReferenceCache = ReturnType<typeof createReferenceCache>;
