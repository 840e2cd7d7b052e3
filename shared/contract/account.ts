/** The person's rights over their own data (个人信息保护法): cancel the account, export the data. */
import { errors, type RouteSpec } from './route-spec.ts';
import { ROLES } from '#shared/domain/roles';
import { MyDataExport } from '#shared/schemas/account';

export const cancelAccount = {
  method: 'DELETE',
  path: '/v1/me',
  handler: 'functions/account/cancel-account.ts',
  access: ['citizen'],
  summary: '注销 — cancel the account: phone and name removed, the phone may register again; the cases stay without the person',
  tag: 'Identity',
  responses: { 204: { description: 'Cancelled' }, ...errors(401, 403, 409) },
  needs: { table: 'readWrite' },
} as const satisfies RouteSpec;

export const exportMyData = {
  method: 'GET',
  path: '/v1/me/export',
  handler: 'functions/account/export-data.ts',
  access: ROLES,
  summary: 'The person\'s own data (account, cases, ratings) as JSON',
  tag: 'Identity',
  responses: { 200: { description: 'The data', schema: MyDataExport }, ...errors(401) },
} as const satisfies RouteSpec;
