import type { CalendarYear } from '#shared/domain/calendar';
import type { Grid } from '#shared/domain/geo/grid-index';
import type { Camera } from '#shared/domain/reference/camera';
import type { Category } from '#shared/domain/reference/category';
import type { Department } from '#shared/domain/reference/departments';
import type { AuditActor, AuditKind } from '#shared/domain/audit/chain';
import type { Audited } from '#shared/domain/audit/ports';
import { transactAudited, type BeforeRead, type TableAuditLog } from './audit-store.ts';
import { describeCancellation, failedWrites, throwIfOnlyConflicts } from './conditions.ts';
import { calendarYearModel, cameraModel, categoryModel, departmentModel, gridModel, referenceVersionModel } from './entities/reference.ts';
import { get, putMany, query, send, transact, write, type Table, type Write } from './operations.ts';

export type ReferenceKind = 'departments' | 'categories' | 'grids' | 'calendar' | 'cameras';

/**
 * Reference data on the single table. Every write bumps its kind's version in the same transaction,
 * so containers that cached the kind see the change on their next version check.
 */
/** The audit input with the replaced item in its domain shape (the store knows how it is stored). */
const mapBefore = (audit: Audited | undefined, toDomain: (stored: Record<string, unknown>) => unknown): Audited | undefined =>
  audit && typeof audit.input === 'function'
    ? { log: audit.log, input: ((input) => (raw: Record<string, unknown> | undefined) => input(raw && (toDomain(raw) as Record<string, unknown>)))(audit.input) }
    : audit;

const categoryOf = ({ updatedAt: _u, workingHours, urgentHours, ...c }: Record<string, unknown>) => ({ ...c, timeLimit: { workingHours, ...(urgentHours !== undefined ? { urgentHours } : {}) } });
const gridOf = ({ updatedAt: _u, geometry, ...g }: Record<string, unknown>) => ({ ...g, geometry: JSON.parse(geometry as string) as unknown });
const calendarOf = ({ year, holidays, workdays }: Record<string, unknown>) => ({ year, holidays, workdays });

export function createReferenceStore(table: Table, now: () => Date = () => new Date()) {
  const bump = (kind: ReferenceKind) => write.update(table, referenceVersionModel, { kind }, { add: { version: 1 } });
  /** The item and its kind's version, together (and its audit entry, when recorded). */
  const putWithVersion = async (item: Write, kind: ReferenceKind, audit?: Audited, before?: BeforeRead) => {
    const result = await transactAudited(table, [['item', item], ['version', bump(kind)]], audit, before);
    if (result.canceled) {
      throwIfOnlyConflicts(result);
      throw new Error(`Reference write cancelled: ${describeCancellation(result)}`);
    }
  };

  const readDepartments = async (options: { consistent?: boolean } = {}): Promise<Department[]> => {
    const { items } = await query(table, departmentModel, 'all', {}, { all: true, ...options });
    return items.map(({ updatedAt: _u, ...d }) => d);
  };

  return {
    async version(kind: ReferenceKind): Promise<number> {
      const item = await get(table, referenceVersionModel, { kind }, { consistent: true });
      return item?.version ?? 0;
    },

    /**
     * Consistent: a cache reloads after seeing a new version, and the tree it keeps for that version must
     * be the stored one (case writes key the subtree queues from it).
     */
    listDepartments: () => readDepartments({ consistent: true }),
    /** The departments as stored now (consistent reads) and the departments version they were read at. */
    async currentDepartments(): Promise<{ departments: Department[]; version: number }> {
      const item = await get(table, referenceVersionModel, { kind: 'departments' }, { consistent: true });
      return { departments: await readDepartments({ consistent: true }), version: item?.version ?? 0 };
    },
    /** Stores a department only while the departments are still at `version`; false when they moved. */
    async putDepartment(value: Department, version: number, audit?: Audited): Promise<boolean> {
      const unchanged = write.update(table, referenceVersionModel, { kind: 'departments' }, { add: { version: 1 }, if: (x) => (version === 0 ? x.notExists('version') : x.eq('version', version)) });
      const result = await transactAudited(table, [['item', write.put(table, departmentModel, { ...value, updatedAt: now().toISOString() })], ['version', unchanged]], audit);
      if (!result.canceled) return true;
      if (failedWrites(result).has('version')) return false;
      throwIfOnlyConflicts(result);
      throw new Error(`Reference write cancelled: ${describeCancellation(result)}`);
    },

    async listCategories(): Promise<Category[]> {
      const { items } = await query(table, categoryModel, 'all', {}, { all: true });
      return items.map(({ updatedAt: _u, workingHours, urgentHours, ...c }) => ({ ...c, timeLimit: { workingHours, ...(urgentHours !== undefined ? { urgentHours } : {}) } }));
    },
    async putCategory(value: Category, audit?: Audited) {
      const { timeLimit, ...rest } = value;
      await putWithVersion(write.put(table, categoryModel, { ...rest, workingHours: timeLimit.workingHours, urgentHours: timeLimit.urgentHours, updatedAt: now().toISOString() }), 'categories', mapBefore(audit, categoryOf), { model: categoryModel, key: { code: value.code } });
    },

    async listGrids(): Promise<Grid[]> {
      const { items } = await query(table, gridModel, 'all', {}, { all: true });
      return items.map(({ updatedAt: _u, geometry, ...g }) => ({ ...g, geometry: JSON.parse(geometry) as Grid['geometry'] }));
    },
    async putGrid(value: Grid, audit?: Audited) {
      await putWithVersion(write.put(table, gridModel, { ...value, geometry: JSON.stringify(value.geometry), updatedAt: now().toISOString() }), 'grids', mapBefore(audit, gridOf), { model: gridModel, key: { id: value.id } });
    },

    async listCalendarYears(): Promise<CalendarYear[]> {
      const { items } = await query(table, calendarYearModel, 'all', {}, { all: true });
      return items.map(({ year, holidays, workdays }) => ({ year, holidays, workdays }));
    },
    async putCalendarYear(value: CalendarYear, audit?: Audited) {
      await putWithVersion(write.put(table, calendarYearModel, { ...value, updatedAt: now().toISOString() }), 'calendar', mapBefore(audit, calendarOf), { model: calendarYearModel, key: { year: value.year } });
    },

    /** The cameras of the video network (视频巡查); written by `npm run city -- import` only. */
    async listCameras(): Promise<Camera[]> {
      const { items } = await query(table, cameraModel, 'all', {}, { all: true });
      return items.map(({ id, name, lat, lng }) => ({ id, name, location: { lat, lng } }));
    },

    /**
     * Loads many items at once (demo city, imports): batched puts, kind by kind, each kind's version
     * bumped before its batches (an import that stops half-way has still moved it, so caches reload what
     * it wrote) and after them, also when they fail (a cache that reloaded meanwhile reads again).
     */
    async importAll(items: { departments?: Department[]; categories?: Category[]; grids?: Grid[]; calendar?: CalendarYear[]; cameras?: Camera[] }, audit?: { log: TableAuditLog | import('#shared/domain/audit/ports').AuditLog; actor: AuditActor; kind: AuditKind }) {
      const at = now().toISOString();
      const writes: Record<ReferenceKind, () => Promise<unknown>> = {
        departments: () => putMany(table, departmentModel, (items.departments ?? []).map((d) => ({ ...d, updatedAt: at }))),
        categories: () => putMany(table, categoryModel, (items.categories ?? []).map(({ timeLimit, ...c }) => ({ ...c, workingHours: timeLimit.workingHours, urgentHours: timeLimit.urgentHours, updatedAt: at }))),
        grids: () => putMany(table, gridModel, (items.grids ?? []).map((g) => ({ ...g, geometry: JSON.stringify(g.geometry), updatedAt: at }))),
        calendar: () => putMany(table, calendarYearModel, (items.calendar ?? []).map(({ year, holidays, workdays }) => ({ year, holidays, workdays, updatedAt: at }))),
        cameras: () => putMany(table, cameraModel, (items.cameras ?? []).map(({ id, name, location }) => ({ id, name, lat: location.lat, lng: location.lng, updatedAt: at }))),
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
