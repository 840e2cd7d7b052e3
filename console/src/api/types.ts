import type { Geometry } from 'geojson';
import type { components } from './schema';

type Schemas = components['schemas'];

/** Fields the contract adds as their issues land (urgent cases, exceptions); optional until then. */
export interface CaseAdditions {
  priority?: 'normal' | 'urgent';
  supervisionCount?: number;
  extensionCount?: number;
}
export type Case = Schemas['Case'] & CaseAdditions;
export type CaseDetail = Omit<Schemas['CaseDetail'], 'case'> & { case: Case };
export type CaseEvent = Schemas['CaseEvent'];
export type Category = Schemas['Category'] & { timeLimit: { workingHours: number; urgentHours?: number } };
export type Department = Schemas['Department'];
export type User = Schemas['User'];
export type Session = Schemas['Session'] & { refreshToken?: string };
export type StatsSummary = Schemas['StatsSummary'];
export type DepartmentStats = Schemas['DepartmentStats'];
export type Hotspots = Schemas['Hotspots'];
export type Upload = Schemas['Upload'];
export type CaseStatus = Case['status'];
export type Role = User['roles'][number];

/** `GET /v1/staff` (the staff directory; tolerated when absent). */
export interface StaffMember {
  id: string;
  displayName: string;
  roles: Role[];
  departmentId: string;
  departmentName?: string;
  status?: 'active' | 'disabled';
}

/** `GET /v1/grids/geojson` (tolerated when absent). */
export interface GridCollection {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; geometry: Geometry; properties: { id: string; name: string; community?: string; street?: string; district?: string } }>;
}
