/**
 * The demo city loaded by `npm start` on an empty database (README, "Demo accounts"). A city replaces this
 * file with its own. Department ids are stable: reference data and the lifecycle refer to them.
 */
import type { StaffRole } from '#shared/domain/roles';

export const DEMO_DEPARTMENTS = {
  cityBureau: 'city-bureau',
  yanfengDistrict: 'yanfeng-district-bureau',
  yanfengStreetBrigade: 'yanfeng-street-brigade',
} as const;

export interface DemoStaff {
  phone: string;
  displayName: string;
  roles: StaffRole[];
  departmentId: string;
}

/** The demo staff accounts (README, "Demo accounts"). They log in like everyone else: SMS code from `/dev/outbox`. */
export const DEMO_STAFF: DemoStaff[] = [
  { phone: '+8613800000001', displayName: '系统管理员', roles: ['admin'], departmentId: DEMO_DEPARTMENTS.cityBureau },
  { phone: '+8613800000002', displayName: '坐席员 王敏', roles: ['agent'], departmentId: DEMO_DEPARTMENTS.cityBureau },
  { phone: '+8613800000003', displayName: '监督员 李强', roles: ['supervisor'], departmentId: DEMO_DEPARTMENTS.cityBureau },
  { phone: '+8613800000004', displayName: '市局派遣员 张华', roles: ['dispatcher'], departmentId: DEMO_DEPARTMENTS.cityBureau },
  { phone: '+8613800000005', displayName: '雁峰区局派遣员 刘洋', roles: ['dispatcher'], departmentId: DEMO_DEPARTMENTS.yanfengDistrict },
  { phone: '+8613800000006', displayName: '雁峰街道大队派遣员 陈静', roles: ['dispatcher'], departmentId: DEMO_DEPARTMENTS.yanfengStreetBrigade },
  { phone: '+8613800000007', displayName: '处置人员 赵磊', roles: ['handler'], departmentId: DEMO_DEPARTMENTS.yanfengStreetBrigade },
  { phone: '+8613800000008', displayName: '领导 周伟', roles: ['leader'], departmentId: DEMO_DEPARTMENTS.cityBureau },
];
