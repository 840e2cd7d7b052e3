import type { CalendarYear } from '#shared/domain/calendar';
import type { Grid } from '#shared/domain/geo/grid-index';
import type { Camera } from '#shared/domain/reference/camera';
import type { Category } from '#shared/domain/reference/category';
import type { Department } from '#shared/domain/reference/departments';
import type { AuditActor, AuditKind } from '#shared/domain/audit/chain';
import type { Audited } from '#shared/domain/audit/ports';
import { BusyError, PreconditionFailedError } from '#shared/domain/errors';
import { withoutVersion, type VersionInfo, type WriteOptions } from '#shared/domain/reference/versions';
import { createReferenceReads, versionInfo, type ReferenceKind } from './reference-reads.ts';
import { transactAudited, type TableAuditLog } from './audit-store.ts';
import { describeCancellation, failedWrites, throwIfOnlyConflicts } from './conditions.ts';
import { calendarYearModel, cameraModel, categoryModel, departmentModel, gridModel, referenceVersionModel, type ItemVersion } from './entities/reference.ts';
import type { AnyModel, ItemOf } from './model.ts';
import { get, putMany, send, write, type Condition, type Table } from './operations.ts';

export type { ReferenceKind } from './reference-reads.ts';

/**
 * Reference data on the single table. Every write bumps its kind's version in the same transaction,
 * so containers that cached the kind see the change on their next version check.
 */
/** The audit input with the replaced item in its domain shape (the store knows how it is stored). */
const mapBefore = (audit: Audited | undefined, toDomain: (stored: Record<string, unknown>) => unknown): Audited | undefined =>
  audit && typeof audit.input === 'function'
    ? { log: audit.log, input: ((input) => (raw: Record<string, unknown> | undefined) => input(raw && (toDomain(raw) as Record<string, unknown>)))(audit.input) }
    : audit;

const categoryOf = ({ updatedAt: _u, version: _v, updatedById: _i, updatedByName: _n, workingHours, urgentHours, ...c }: Record<string, unknown>) => ({ ...c, timeLimit: { workingHours, ...(urgentHours !== undefined ? { urgentHours } : {}) } });
const gridOf = ({ updatedAt: _u, version: _v, updatedById: _i, updatedByName: _n, geometry, ...g }: Record<string, unknown>) => ({ ...g, geometry: JSON.parse(geometry as string) as unknown });
const calendarOf = ({ year, holidays, workdays }: Record<string, unknown>) => ({ year, holidays, workdays });


/** The stored item's version is still `expected` (0: it has none — stored before versions, or absent). */
const atVersion = (expected: number): Condition => (x) => (expected === 0 ? x.notExists('version') : x.eq('version', expected));


export function createReferenceStore(table: Table, now: () => Date = () => new Date()) {
  const bump = (kind: ReferenceKind) => write.update(table, referenceVersionModel, { kind }, { add: { version: 1 } });
  const stamp = (by: WriteOptions['by']) => ({ updatedAt: now().toISOString(), updatedById: by?.id, updatedByName: by?.displayName });

  /** The 412 of a stale If-Match: what is stored now (a consistent read; only on this failure path). */
  async function stale<M extends AnyModel>(model: M, key: Partial<ItemOf<M>>): Promise<never> {
    const current = (await get(table, model, key, { consistent: true })) as (ItemVersion & { updatedAt?: string }) | undefined;
    const info = current ? versionInfo(current) : { version: 0 };
    throw new PreconditionFailedError({ currentVersion: info.version, ...(info.updatedAt ? { updatedAt: info.updatedAt } : {}), ...(info.updatedBy ? { updatedBy: info.updatedBy } : {}) });
  }

  /**
   * Stores one item at its next version with its kind's version bump and its audit entry, in ONE
   * transaction. The item's version condition is part of it: the version expected is the If-Match one,
   * else the one of the item as read with the audit head (the same BatchGetItem: no extra round trip) —
   * a write without If-Match that lost a race to another reads again and is made after it (last writer
   * wins, with a version that counts every write). Returns the version written.
   */
  async function putVersioned<M extends AnyModel>(model: M, key: Partial<ItemOf<M>>, item: (version: number) => ItemOf<M>, kind: ReferenceKind, options: WriteOptions, audit?: Audited): Promise<VersionInfo> {
    for (let attempt = 1; ; attempt++) {
      let expected = 0;
      const at = now().toISOString();
      const writes = (replaced: Record<string, unknown> | undefined) => {
        expected = options.ifMatch ?? ((replaced as ItemVersion | undefined)?.version ?? 0);
        const stored = { ...item(expected + 1), ...stamp(options.by), updatedAt: at };
        return [['item', write.put(table, model, stored, { if: atVersion(expected) })], ['version', bump(kind)]] as const;
      };
      // Unrecorded and with If-Match, nothing needs reading first; otherwise the item is read (with the head).
      const result = await transactAudited(table, audit || options.ifMatch === undefined ? writes : writes(undefined), audit, { model, key });
      if (!result.canceled) return { version: expected + 1, updatedAt: at, ...(options.by ? { updatedBy: options.by } : {}) };
      if (failedWrites(result).has('item')) {
        if (options.ifMatch !== undefined) return stale(model, key);
        if (attempt < 6) continue;
        throw new BusyError();
      }
      throwIfOnlyConflicts(result);
      throw new Error(`Reference write cancelled: ${describeCancellation(result)}`);
    }
  }

  return {
    ...createReferenceReads(table),
    /**
     * Stores a department only while the departments are still at `version` (and the item at
     * `itemVersion`, as read with them), as `itemVersion + 1`; false when they moved.
     */
    async putDepartment(value: Department, version: number, audit?: Audited, item: { itemVersion: number; by?: WriteOptions['by'] } = { itemVersion: 0 }): Promise<VersionInfo | false> {
      const unchanged = write.update(table, referenceVersionModel, { kind: 'departments' }, { add: { version: 1 }, if: (x) => (version === 0 ? x.notExists('version') : x.eq('version', version)) });
      const { id, name, parentId, type, level, gridIds } = value;
      const stored = { id, name, parentId, type, level, gridIds, ...stamp(item.by), version: item.itemVersion + 1 };
      const result = await transactAudited(table, [['item', write.put(table, departmentModel, stored, { if: atVersion(item.itemVersion) })], ['version', unchanged]], audit);
      if (!result.canceled) return { version: stored.version, updatedAt: stored.updatedAt, ...(item.by ? { updatedBy: item.by } : {}) };
      if (failedWrites(result).has('version') || failedWrites(result).has('item')) return false;
      throwIfOnlyConflicts(result);
      throw new Error(`Reference write cancelled: ${describeCancellation(result)}`);
    },

    /** Stores a category (If-Match: only while it is still at `options.ifMatch`); the version written. */
    async putCategory(value: Category, audit?: Audited, options: WriteOptions = {}): Promise<VersionInfo> {
      const { timeLimit, ...rest } = withoutVersion(value);
      return putVersioned(categoryModel, { code: value.code }, (version) => ({ ...rest, workingHours: timeLimit.workingHours, urgentHours: timeLimit.urgentHours, version, updatedAt: '' }), 'categories', options, mapBefore(audit, categoryOf));
    },

    /** Stores a grid (If-Match: only while it is still at `options.ifMatch`); the version written. */
    async putGrid(value: Grid, audit?: Audited, options: WriteOptions = {}): Promise<VersionInfo> {
      const { id, name, community, communityCode, street, streetCode, district, districtCode, geometry } = value;
      return putVersioned(gridModel, { id }, (version) => ({ id, name, community, communityCode, street, streetCode, district, districtCode, geometry: JSON.stringify(geometry), version, updatedAt: '' }), 'grids', options, mapBefore(audit, gridOf));
    },

    /** Stores a year of the calendar (If-Match: only while it is still at `options.ifMatch`); the version written. */
    async putCalendarYear(value: CalendarYear, audit?: Audited, options: WriteOptions = {}): Promise<VersionInfo> {
      const { year, holidays, workdays } = value;
      return putVersioned(calendarYearModel, { year }, (version) => ({ year, holidays, workdays, version, updatedAt: '' }), 'calendar', options, mapBefore(audit, calendarOf));
    },

    /**
     * Loads many items at once (demo city, imports): batched puts, kind by kind, each kind's version
     * bumped before its batches (an import that stops half-way has still moved it, so caches reload what
     * it wrote) and after them, also when they fail (a cache that reloaded meanwhile reads again).
     */
    async importAll(items: { departments?: Department[]; categories?: Category[]; grids?: Grid[]; calendar?: CalendarYear[]; cameras?: Camera[] }, audit?: { log: TableAuditLog | import('#shared/domain/audit/ports').AuditLog; actor: AuditActor; kind: AuditKind }) {
      const by = audit ? { id: audit.actor.actorId, displayName: audit.actor.actorName } : undefined;
      // Each versioned item replaced whole by an UpdateItem that adds 1 to its own version (atomic, so an
      // admin's If-Match written meanwhile is never matched by the import's content), 8 at a time.
      const replace = <M extends AnyModel>(model: M, list: Array<{ key: Partial<ItemOf<M>>; fields: Record<string, unknown> }>) =>
        inPool(list, 8, ({ key, fields }) => {
          const all: Record<string, unknown> = { ...fields, ...stamp(by) };
          const remove = Object.keys(all).filter((k) => all[k] === undefined);
          return send(table, write.update(table, model, key, { set: all as never, add: { version: 1 } as never, remove: remove as never }));
        });
      const writes: Record<ReferenceKind, () => Promise<unknown>> = {
        departments: () => replace(departmentModel, (items.departments ?? []).map(({ id, name, parentId, type, level, gridIds }) => ({ key: { id }, fields: { id, name, parentId, type, level, gridIds } }))),
        categories: () =>
          replace(categoryModel, (items.categories ?? []).map(({ code, name, group, majorClass, timeLimit, defaultDepartmentId, filingCriteria, closingCriteria }) => ({
            key: { code },
            fields: { code, name, group, majorClass, workingHours: timeLimit.workingHours, urgentHours: timeLimit.urgentHours, defaultDepartmentId, filingCriteria, closingCriteria },
          }))),
        grids: () =>
          replace(gridModel, (items.grids ?? []).map(({ id, name, community, communityCode, street, streetCode, district, districtCode, geometry }) => ({
            key: { id },
            fields: { id, name, community, communityCode, street, streetCode, district, districtCode, geometry: JSON.stringify(geometry) },
          }))),
        calendar: () => replace(calendarYearModel, (items.calendar ?? []).map(({ year, holidays, workdays }) => ({ key: { year }, fields: { year, holidays, workdays } }))),
        cameras: () => putMany(table, cameraModel, (items.cameras ?? []).map(({ id, name, location }) => ({ id, name, lat: location.lat, lng: location.lng, updatedAt: now().toISOString() }))),
      };
      for (const kind of ['departments', 'categories', 'grids', 'calendar', 'cameras'] as const) {
        if (!items[kind]?.length) continue;
        await send(table, bump(kind));
        try {
          await writes[kind]();
        } catch (error) {
          await send(table, bump(kind)).catch(() => undefined);
          throw error;
        }
        await send(table, bump(kind));
        // Batched puts are not one transaction: the kind's entry follows its writes (ids, not bodies:
        // a folder's grids would not fit one item). An import cut short before it is finished by the next.
        const ids = (items[kind] ?? []).map((x) => ('code' in x ? x.code : 'year' in x ? String(x.year) : x.id));
        if (audit) await audit.log.append({ ...audit.actor, kind: audit.kind, target: kind, after: { count: ids.length, ids } });
      }
    },
  };
}

export type ReferenceStore = ReturnType<typeof createReferenceStore>;

/** Runs `run` over `items`, at most `size` at a time; the first failure is thrown once the started ones settle. */
async function inPool<T>(items: T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++]!;
      await run(item).catch((error: unknown) => void (failure ??= error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  if (failure !== undefined) throw failure;
}
