import type { Case, CaseStatus, FieldCheckKind, RequestKind, Role } from './api/types';

/** The console's words (zh-CN). */
export const STATUS_LABELS: Record<string, string> = {
  reported: '待受理',
  filed: '已立案·待派遣',
  dispatched: '处置中',
  handled: '已处置·待核查',
  closed: '已结案',
  rejected: '不予立案',
  suspended: '挂账',
  voided: '作废',
  merged: '已合并',
};

export const STATUS_TAG: Record<string, 'primary' | 'success' | 'info' | 'warning' | 'danger'> = {
  reported: 'warning',
  filed: 'primary',
  dispatched: 'primary',
  handled: 'warning',
  closed: 'success',
  rejected: 'info',
  suspended: 'info',
  voided: 'info',
  merged: 'info',
};

export const ROLE_LABELS: Record<Role, string> = {
  citizen: '市民',
  supervisor: '监督员',
  agent: '坐席员',
  dispatcher: '派遣员',
  handler: '处置人员',
  leader: '领导',
  admin: '管理员',
};

export const ACTION_LABELS: Record<string, string> = {
  report: '上报',
  file: '立案',
  reject: '不予立案',
  dispatch: '派遣',
  return: '回退',
  complete: '处置完成',
  verify: '核查',
  close: '核查结案',
  rework: '核查不通过·返工',
  rate: '评价',
  warn: '黄灯预警',
  escalate: '超期升级',
  supervise: '督办',
  extend: '延期',
  suspend: '挂账',
  resume: '恢复',
  void: '作废',
  request: '提出申请',
  decline: '申请未通过',
  merge: '合并至相同问题',
  'field-check': '派发核实/核查',
  'field-check-answer': '核实/核查回复',
};

/** 来源: every channel of the API's `Case.channel` (a new one fails the console's type check until it has a label). */
export const CHANNEL_LABELS: Record<Case['channel'], string> & Record<string, string | undefined> = {
  app: '市民App',
  wechat: '微信公众号',
  hotline: '12345热线',
  patrol: '监督员巡查',
  video: '视频巡查',
  open311: 'Open311',
};

/** 定位方式: how the reporter gave the place. */
export const LOCATION_SOURCE_LABELS: Record<'gps' | 'map' | 'address', string> = {
  gps: '现场定位',
  map: '地图选点',
  address: '按社区选择（社区中心点，见地址）',
};

/** 延期 · 挂账 · 作废 requests. */
export const REQUEST_KIND_LABELS: Record<RequestKind, string> = {
  extension: '延期',
  suspension: '挂账',
  void: '作废',
};

/** 核实 (a report, before filing) · 核查 (a handler's result, before closing). */
export const FIELD_CHECK_KIND_LABELS: Record<FieldCheckKind, string> = {
  'verify-report': '核实',
  'check-result': '核查',
};

/** The queues an agent works through, in the order of the lifecycle (挂账 last: parked cases). */
export const AGENT_QUEUES: CaseStatus[] = ['reported', 'filed', 'dispatched', 'handled', 'suspended'];

const dateTime = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
export const formatTime = (iso: string | undefined) => (iso ? dateTime.format(new Date(iso)) : '—');
export const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

/** Today in Asia/Shanghai (UTC+8, no daylight saving) as YYYY-MM-DD: the statistics' days are local days. */
export function localDay(date = new Date()): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** What a supervisor found: a report 属实 or not (核实); a handler's result 到位 or not (核查). */
export const fieldCheckAnswerLabel = (kind: FieldCheckKind, confirmed: boolean) =>
  kind === 'verify-report' ? (confirmed ? '情况属实' : '情况不属实') : confirmed ? '处置到位' : '处置不到位';

/** 延期 14 小时 · 挂账 · 作废 (a request or a decision, with the hours of an extension). */
export const requestText = (kind: RequestKind, hours?: number) => `${REQUEST_KIND_LABELS[kind]}${hours ? ` ${hours} 小时` : ''}`;

/** `2026-000012` → 【2026】字第【12】号 (the label the staff read). */
export const caseNumberLabel = (caseNumber: string) => {
  const [year, serial] = caseNumber.split('-');
  return serial ? `【${year}】字第【${Number(serial)}】号` : caseNumber;
};

/** 照片核查 flags in plain words (staff only; shown, not weighed). */
export function photoFlagTexts(
  check: { kind: 'before' | 'after'; flags: string[]; distanceMetres?: number; reusedFrom?: { caseId?: string; caseNumber?: string; kind: 'before' | 'after'; outsideScope?: true } },
  caseId?: string,
): string[] {
  const side = (kind: 'before' | 'after') => (kind === 'before' ? '处置前' : '处置后');
  return check.flags.map((flag) => {
    if (flag === 'reused' && check.reusedFrom) {
      // A case the viewer may not read is not named (API: outsideScope).
      const where = check.reusedFrom.outsideScope ? '另一辖区的案件' : check.reusedFrom.caseId === caseId ? '本案' : check.reusedFrom.caseNumber ? caseNumberLabel(check.reusedFrom.caseNumber) : '另一案件';
      return `${side(check.kind)}照片与${where}的${side(check.reusedFrom.kind)}照片相同`;
    }
    if (flag === 'far-from-case') return `拍摄地点距案发点 ${check.distanceMetres ?? '—'} 米`;
    if (flag === 'taken-before-dispatch') return '拍摄时间早于派遣时间';
    if (flag === 'no-time') return '照片无拍摄时间';
    return flag;
  });
}

/** 照片存疑 by flag, for the evaluation tables' tooltip (a photo may carry several flags). */
export function photoFlagBreakdown(counts: { afterPhotos: number; flagged: number; reused: number; farFromCase: number; takenBeforeDispatch: number; noTime: number }): string {
  return `处置后照片 ${counts.afterPhotos} 张，存疑 ${counts.flagged} 张：与其他照片相同 ${counts.reused}，拍摄地点过远 ${counts.farFromCase}，拍摄早于派遣 ${counts.takenBeforeDispatch}，无拍摄时间 ${counts.noTime}（仅供参考，不计入评分）`;
}
