import { friendlyApiError } from '../../web-core/messages.ts';
import { PhotoError } from './photos.ts';
import type { TaskKind } from './cache.ts';

export const TASK_KINDS: Record<TaskKind, string> = {
  handle: '待处置',
  rework: '返工',
  'verify-report': '核实',
  'check-result': '核查',
  'roll-call': '点名',
};

export const ACTIONS: Record<string, string> = {
  report: '上报',
  file: '立案',
  reject: '不予立案',
  dispatch: '派遣',
  return: '回退',
  complete: '处置完成',
  verify: '核查结案',
  close: '结案',
  rework: '返工',
  rate: '评价',
  warn: '预警',
  escalate: '升级',
  request: '申请',
  decline: '驳回申请',
  extend: '延期',
  suspend: '挂账',
  resume: '恢复',
  void: '作废',
  supervise: '督办',
  'field-check': '派发核实/核查',
  'field-check-answer': '核实/核查回复',
};

export const STATUS: Record<string, string> = {
  reported: '已上报',
  filed: '已立案',
  dispatched: '已派遣',
  handled: '已处置',
  closed: '已结案',
  rejected: '不予立案',
  suspended: '挂账',
  voided: '已作废',
};

const minutesText = (minutes: number) => {
  if (minutes < 60) return `${Math.max(1, minutes)} 分钟`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} 小时 ${minutes % 60} 分钟` : `${hours} 小时`;
  return `${Math.floor(hours / 24)} 天`;
};

/** "还剩 2 小时" / "已超期 30 分钟" against `now`. */
export function countdown(dueAt: string, now = Date.now()): { text: string; overdue: boolean } {
  const minutes = Math.round((new Date(dueAt).getTime() - now) / 60_000);
  return minutes >= 0 ? { text: `还剩 ${minutesText(minutes)}`, overdue: false } : { text: `已超期 ${minutesText(-minutes)}`, overdue: true };
}

/** Beijing time, as every CityGrid page shows it. */
export const beijing = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

const FIELD_MESSAGES: Array<[RegExp, string]> = [
  [/^(note|reason)/, '说明不符合要求，请检查后重试'],
  [/^photoKeys/, '照片还没有上传完成或未通过检查，请稍候重试'],
  [/^location/, '位置信息无效，请重新定位'],
  [/^phone/, '请输入正确的 11 位手机号'],
  [/^code/, '请输入短信中的 6 位验证码'],
  [/^hours/, '请填写 1–720 的小时数'],
];

export function friendlyError(error: unknown): string {
  return friendlyApiError(error, FIELD_MESSAGES, (e) => (e instanceof PhotoError ? e.message : undefined));
}
