/**
 * Optimistic concurrency for administrators (If-Match / ETag): categories, grids, calendar years and
 * departments each carry their own `version` — 1 after the first versioned write, +1 with every write;
 * 0 for an item stored before versions existed (or never stored: a built-in calendar year). A write
 * with `If-Match: "<version>"` is made only while the stored item is still at that version (a condition
 * of the same transaction, so two admins with the same version get one success and one 412); a write
 * without it replaces the item whatever its version (last writer wins, as before).
 */
export interface VersionInfo {
  version: number;
  updatedAt?: string | undefined;
  updatedBy?: { id: string; displayName: string } | undefined;
}

export type Versioned<T> = T & VersionInfo;

/** Who writes (kept on the item for the 412) and the version the writer read, if it sent one. */
export interface WriteOptions {
  ifMatch?: number | undefined;
  by?: { id: string; displayName: string } | undefined;
}

/** The version fields of an item as read (0 when it has none). */
export const versionOf = (item: object): VersionInfo => {
  const { version, updatedAt, updatedBy } = item as Partial<VersionInfo>;
  return { version: version ?? 0, ...(updatedAt ? { updatedAt } : {}), ...(updatedBy ? { updatedBy } : {}) };
};

/** The item without its version fields (what a city folder holds, what an import or the audit compares). */
export const withoutVersion = <T extends object>(item: T): Omit<T, keyof VersionInfo> => {
  const { version: _v, updatedAt: _a, updatedBy: _b, ...rest } = item as T & Partial<VersionInfo>;
  return rest as Omit<T, keyof VersionInfo>;
};
