import { reactive, ref, watch } from 'vue';
import type { LiveMessage, LiveType } from './client';

const SOUND_KEY = 'citygrid.console.liveSound';

/** 提示音 on new notifications: a setting of this browser, off by default. */
export const soundOn = ref(localStorage.getItem(SOUND_KEY) === 'on');
watch(soundOn, (on) => localStorage.setItem(SOUND_KEY, on ? 'on' : 'off'));

/** Unseen live messages per menu entry (the badges); a page resets its own when it is shown. */
export const unseen = reactive({ queue: 0, tasks: 0 });

/** Which messages pop up as a notification, for whom: the contract's "new reports (agent), pending requests (deciders), answered checks and roll calls". */
const NOTIFY: Partial<Record<LiveType, { title: string; roles: readonly string[] }>> = {
  'case.reported': { title: '新上报', roles: ['agent', 'admin'] },
  'request.pending': { title: '待审批', roles: ['agent', 'leader', 'dispatcher', 'admin'] },
  'field-check.answered': { title: '核实/核查已回复', roles: ['agent', 'leader', 'admin', 'dispatcher'] },
  'roll-call.answered': { title: '点名已应答', roles: ['agent', 'leader', 'admin', 'dispatcher'] },
};

/** The notification a message makes for someone holding `roles`, if any. */
export function notificationFor(message: LiveMessage, roles: readonly string[]): { title: string } | undefined {
  const rule = NOTIFY[message.type];
  return rule && roles.some((r) => rule.roles.includes(r)) ? { title: rule.title } : undefined;
}

/** Case messages count on the queue's badge; for handlers and supervisors (their own tasks) on 我的任务's too. */
export function countUnseen(message: LiveMessage, roles: readonly string[]): void {
  if (!message.caseId) return;
  unseen.queue++;
  if (roles.includes('handler') || roles.includes('supervisor')) unseen.tasks++;
}
