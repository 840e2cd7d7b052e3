/** Field checks by supervisors (核实 · 核查): the supervisor's task list (requesting and answering are lifecycle steps). */
import { errors, type RouteSpec } from './route-spec.ts';
import { TaskListBody } from '#shared/schemas/cases';

export const listMyTasks = {
  method: 'GET',
  path: '/v1/me/tasks',
  handler: 'functions/cases/list-my-tasks.ts',
  access: ['supervisor'],
  summary: '我的任务 — the supervisor\'s open field checks, earliest due first',
  tag: 'Field checks',
  responses: { 200: { description: 'Open field checks', schema: TaskListBody }, ...errors(401, 403) },
} as const satisfies RouteSpec;
