/** Chinese words for the API's statuses, actions and roles, as a citizen reads them. */

export const STATUS_LABELS: Record<string, { text: string; type: 'primary' | 'success' | 'warning' | 'danger' | 'default' }> = {
  reported: { text: '待受理', type: 'warning' },
  filed: { text: '已立案', type: 'primary' },
  dispatched: { text: '处置中', type: 'primary' },
  handled: { text: '待核查', type: 'primary' },
  closed: { text: '已结案', type: 'success' },
  rejected: { text: '不予立案', type: 'danger' },
  suspended: { text: '暂缓处置', type: 'default' },
  voided: { text: '已作废', type: 'default' },
  merged: { text: '已合并', type: 'default' },
};

/**
 * A merged report, as its reporter is told: the API gives the reporter the merged-into case's id but
 * not its number (the SMS sent at the merge carries it when that case has one), so the page explains
 * without a number.
 */
export const MERGED_SHORT = '与他人反映的同一问题合并处理';
export const MERGED_EXPLANATION = '您反映的问题与他人反映的同一问题已合并处理，结案时将短信告知您。';

export const statusLabel = (status: string) => STATUS_LABELS[status] ?? { text: status, type: 'default' as const };

export const ACTION_LABELS: Record<string, string> = {
  report: '提交上报',
  file: '受理立案',
  reject: '不予立案',
  dispatch: '派遣处置单位',
  return: '退回重新派遣',
  complete: '处置完成',
  verify: '核查',
  close: '核查通过，结案',
  rework: '核查未通过，重新处置',
  rate: '评价',
  warn: '临近处置时限',
  escalate: '超期升级督办',
  extend: '延长处置时限',
  suspend: '暂缓处置',
  resume: '恢复处置',
  void: '作废',
  supervise: '领导督办',
  merge: '与相同问题合并',
};

/**
 * Who acted, without naming staff (a reporter sees roles and departments only): the reporter is "我",
 * staff appear by their role, a department's officers and handlers by their own unit (the API's
 * `actor.displayName`, given as `departmentName`).
 */
export function actorLabel(role: string, departmentName?: string): string {
  switch (role) {
    case 'citizen':
      return '我';
    case 'agent':
      return '城市管理指挥中心';
    case 'supervisor':
      return '网格监督员';
    case 'dispatcher':
    case 'handler':
      return departmentName ?? '处置单位';
    case 'leader':
      return '城市管理领导';
    case 'system':
      return '系统';
    default:
      return '城市管理部门';
  }
}

const FORMAT = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** Today in Beijing time (UTC+8, no daylight saving) as YYYY-MM-DD, whatever the phone's zone. */
export const localDay = (date = new Date()) => new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** 2026/05/12 11:44 in Beijing time, whatever the phone's zone. */
export const formatTime = (iso: string) => FORMAT.format(new Date(iso));

/** WeChat's in-app browser says MicroMessenger in its user agent. */
export const reportChannel = (userAgent: string): 'wechat' | 'app' => (/MicroMessenger/i.test(userAgent) ? 'wechat' : 'app');
