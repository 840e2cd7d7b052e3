import { GridIndex } from '#shared/domain/geo/grid-index';
import type { Category } from '#shared/domain/reference/category';
import { DepartmentTree } from '#shared/domain/reference/departments';
import type { ReferenceKind, ReferenceStore } from './reference-store.ts';

interface Slot<T> {
  version: number;
  value: T;
}

/**
 * Reference data cached per container: each read costs one consistent GetItem of the kind's version
 * item; the lists are reloaded (and the R-tree rebuilt) only when that version moved. Concurrent
 * callers share one reload.
 */
export function createReferenceCache(store: ReferenceStore) {
  const slots = new Map<ReferenceKind, Slot<unknown>>();
  const loading = new Map<string, Promise<unknown>>();

  async function cached<T>(kind: ReferenceKind, build: () => Promise<T>): Promise<T> {
    const version = await store.version(kind);
    const slot = slots.get(kind) as Slot<T> | undefined;
    if (slot && slot.version === version) return slot.value;
    const key = `${kind}@${version}`;
    let pending = loading.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = build().then((value) => {
        slots.set(kind, { version, value });
        return value;
      });
      loading.set(key, pending);
      pending.finally(() => loading.delete(key)).catch(() => undefined);
    }
    return pending;
  }

  return {
    departments: () => cached('departments', async () => new DepartmentTree(await store.listDepartments())),
    categories: () =>
      cached('categories', async () => new Map<string, Category>((await store.listCategories()).map((c) => [c.code, c]))),
    grids: () => cached('grids', async () => new GridIndex(await store.listGrids())),
  };
}

export type ReferenceCache = ReturnType<typeof createReferenceCache>;
