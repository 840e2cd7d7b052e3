/** 我的任务: the field staff's task list (requesting and answering field checks are lifecycle steps). */
import { errors, type RouteSpec } from './route-spec.ts';
import { TaskListBody } from '#shared/schemas/cases';
import { PageQuery } from '#shared/schemas/common';

export const listMyTasks = {
  method: 'GET',
  path: '/v1/me/tasks',
  handler: 'functions/cases/list-my-tasks.ts',
  access: ['supervisor', 'handler'],
  summary: '我的任务 — the caller\'s open tasks (handlers: cases dispatched to them and rework; supervisors: 核实/核查 checks), urgent first, then by due time',
  tag: 'Field checks',
  request: { query: PageQuery },
  responses: { 200: { description: 'Open tasks, each with its case and before photos by photoKey', schema: TaskListBody }, ...errors(400, 401, 403) },
  needs: { table: 'read', cursorKey: true },
} as const satisfies RouteSpec;
