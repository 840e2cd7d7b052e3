/** The words of the 应用维护 pages (zh-CN), apart from the console's first load. */
import type { AuditKind } from '../api/admin';

/** 操作日志: the kinds of administrative change (every kind of the API's audit record has a label, or vue-tsc fails). */
export const AUDIT_KIND_LABELS: Record<AuditKind, string> = {
  'staff.create': '新增人员',
  'staff.update': '修改人员',
  'staff.batch': '批量导入人员',
  'department.put': '保存部门',
  'category.put': '保存类别',
  'grid.put': '保存网格',
  'grid.batch': '批量导入网格',
  'calendar.put': '保存日历',
  'api-key.create': '新建接口密钥',
  'api-key.revoke': '吊销接口密钥',
  'city.import': '城市数据导入（命令行）',
};

/** The fields an audit entry's before/after hold, in Chinese (others are shown by their path). */
export const AUDIT_FIELD_LABELS: Record<string, string> = {
  name: '名称',
  displayName: '姓名',
  phone: '手机号',
  roles: '角色',
  departmentId: '部门',
  gridIds: '网格',
  status: '状态',
  group: '分类',
  majorClass: '大类',
  'timeLimit.workingHours': '处置时限（工作小时）',
  'timeLimit.urgentHours': '紧急时限（小时）',
  defaultDepartmentId: '默认承办部门',
  filingCriteria: '立案标准',
  closingCriteria: '结案标准',
  parentId: '上级部门',
  type: '类型',
  holidays: '放假日期',
  workdays: '调休上班日期',
  community: '社区',
  street: '街道',
  district: '区',
};

/** 部门类型. */
export const DEPARTMENT_TYPE_LABELS: Record<string, string> = {
  'city-bureau': '市级城管局',
  'district-bureau': '区级城管局',
  'street-brigade': '街道城管大队',
  specialist: '专业部门',
};
