import type { Geometry } from 'geojson';
import type { components } from './schema';

type Schemas = components['schemas'];

export type Case = Schemas['Case'];
export type CaseDetail = Schemas['CaseDetail'];
export type CaseEvent = Schemas['CaseEvent'];
export type Category = Schemas['Category'];
export type Department = Schemas['Department'];
export type User = Schemas['User'];
export type Session = Schemas['Session'];
export type RefreshedSession = Schemas['RefreshedSession'];
export type StatsSummary = Schemas['StatsSummary'];
export type StatsTrend = Schemas['StatsTrend'];
export type DepartmentStats = Schemas['DepartmentStats'];
/** 岗位评价 (`GET /v1/stats/staff?role=`). */
export type StaffStats = Schemas['StaffStats'];
/** 照片存疑: flagged after photos per flag (shown beside the evaluations, never weighed). */
export type PhotoFlagCounts = Schemas['PhotoFlagCounts'];
export type Hotspots = Schemas['Hotspots'];
export type Upload = Schemas['Upload'];
export type CaseStatus = Case['status'];
export type Role = User['roles'][number];
/** `GET /v1/staff`: the staff directory. */
export type StaffMember = Schemas['StaffEntry'];
/** 延期 · 挂账 · 作废 (`POST /v1/cases/{id}/requests`). */
export type RequestKind = Schemas['CaseRequest']['kind'];
export type PendingRequest = NonNullable<Case['pendingRequest']>;
/** 核实 (verify-report) · 核查 (check-result). */
export type FieldCheck = NonNullable<Case['fieldCheck']>;
export type FieldCheckKind = FieldCheck['kind'];
/** `GET /v1/me/tasks`: the caller's open tasks (field checks; a handler's cases). */
export type MyTask = Schemas['MyTasks']['items'][number];
/** A supervisor's open field check (核实/核查) among them, with its case and due time. */
export type FieldCheckTask = MyTask & { kind: FieldCheckKind; caseId: string; case: Case; dueAt: string };
/** `GET /v1/cases/{id}/similar`. */
export type SimilarCase = Schemas['SimilarCases']['items'][number];

/** `GET /v1/grids/geojson`, with the geometry typed for Leaflet. */
export interface GridCollection {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; geometry: Geometry; properties: { id: string; name: string; community?: string; street?: string; district?: string } }>;
}
