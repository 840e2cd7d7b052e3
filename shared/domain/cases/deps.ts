import type { WorkingCalendar } from '#shared/domain/calendar';
import type { GridIndex } from '#shared/domain/geo/grid-index';
import type { Principal, User } from '#shared/domain/identity/model';
import type { PhotoStore } from '#shared/domain/photos/use-cases';
import type { Camera } from '#shared/domain/reference/camera';
import type { Category } from '#shared/domain/reference/category';
import type { DepartmentTree } from '#shared/domain/reference/departments';
import type { QuotaCounter, QuotaPolicy } from '#shared/domain/quotas';
import type { Role } from '#shared/domain/roles';
import type { ScopeFacts } from './lifecycle.ts';
import type { Case, FieldCheckKind } from './model.ts';
import type { CaseStore } from './ports.ts';
import { localDay } from './counters.ts';
import type { Viewer } from './views.ts';

/** What the case use cases receive: the case store, reference data, users, photo records and a clock. */
export interface CaseDeps {
  store: CaseStore;
  reference: {
    departments(): Promise<DepartmentTree>;
    categories(): Promise<Map<string, Category>>;
    grids(): Promise<GridIndex>;
    /** The working calendar (reference data: stored per year, cached per container). */
    calendar(): Promise<WorkingCalendar>;
    /** The cameras of the video network (视频巡查), by id. */
    cameras(): Promise<Map<string, Camera>>;
  };
  users: { getUser(id: string): Promise<User | undefined>; listPatrolling?(gridId: string): Promise<string[]> };
  /** Photo records: reporting and completing attach photos (records only, no bucket). */
  photos: { store: Pick<PhotoStore, 'getMany'> };
  /** Working hours a supervisor has for each kind of field check (default {@link DEFAULT_FIELD_CHECK_HOURS}). */
  fieldCheckHours?: Record<FieldCheckKind, number> | undefined;
  /** Position evaluation's limits (default {@link DEFAULT_POSITION_LIMITS}). */
  positionLimits?: PositionLimits | undefined;
  /** 照片核查: photos taken farther than this from the case are flagged (metres; default 200). */
  photoFarMetres?: number | undefined;
  /** Per-citizen report quotas (absent: no limit, e.g. in tests of other rules). */
  quotas?: { counter: QuotaCounter; policy: QuotaPolicy } | undefined;
  now: () => Date;
  newId: () => string;
}

/** 核实 within 1 working hour, 核查 within 2 (city configuration: FIELD_CHECK_HOURS). */
export const DEFAULT_FIELD_CHECK_HOURS: Record<FieldCheckKind, number> = { 'verify-report': 1, 'check-result': 2 };

/**
 * 岗位评价 limits, in working hours (clock hours for an urgent case): an agent files within `filingHours`
 * of the report; a holder dispatches within `dispatchHours` of receiving the case (filed, dispatched to
 * its department, or returned).
 */
export interface PositionLimits {
  filingHours: number;
  dispatchHours: number;
}
export const DEFAULT_POSITION_LIMITS: PositionLimits = { filingHours: 1, dispatchHours: 1 };

export const CITY_WIDE: readonly Role[] = ['agent', 'supervisor', 'leader', 'admin'];
export const localYear = (at: Date) => Number(localDay(at).slice(0, 4));

/** Can this caller see the case at all? Anyone who cannot gets 404 — no existence leak. */
export function visibility(c: Case, principal: Principal, tree: DepartmentTree): Viewer | undefined {
  if (principal.roles.some((r) => CITY_WIDE.includes(r))) return 'staff';
  if (principal.roles.includes('dispatcher') && principal.departmentId) {
    const own = principal.departmentId;
    if (c.dispatchPath.some((d) => tree.get(d) && tree.isWithin(d, own))) return 'staff';
  }
  if (principal.roles.includes('handler') && c.assignment?.assigneeId === principal.userId) return 'staff';
  if (c.reporterId === principal.userId) return 'reporter';
  return undefined;
}

export function scopeFacts(c: Case, principal: Principal, tree: DepartmentTree): ScopeFacts {
  const assigned = c.assignment?.departmentId;
  const own = principal.departmentId;
  return {
    isReporter: c.reporterId !== undefined && c.reporterId === principal.userId,
    isAssignee: c.assignment?.assigneeId === principal.userId,
    inOwnDepartment: Boolean(assigned && own && assigned === own),
    inSubtree: Boolean(assigned && own && tree.get(assigned) && tree.isWithin(assigned, own)),
    belowOwnDepartment: Boolean(assigned && own && assigned !== own && tree.get(assigned) && tree.isWithin(assigned, own)),
    // The supervisor of the latest check: answering one that is closed is then a 409 from the step, not a 403.
    isFieldChecker: c.fieldCheck !== undefined && c.fieldCheck.supervisorId === principal.userId,
  };
}

