/** Identity: SMS codes, registration, login, the caller's account and staff accounts. */
import { errors, type RouteSpec } from './route-spec.ts';
import { ROLES } from '#shared/domain/roles';
import {
  CreateStaffBody,
  LoginBody,
  LogoutBody,
  MeBody,
  RefreshBody,
  RefreshedBody,
  RegisterBody,
  SendCodeBody,
  SendCodeResult,
  SessionBody,
  StaffCreatedBody,
  StaffList,
  StaffParams,
  StaffPatchBody,
  StaffQuery,
  StaffEntry,
  StaffBatchBody,
  StaffBatchResult,
  AdminStaffQuery,
  AdminStaffList,
} from '#shared/schemas/identity';

export const sendSmsCode = {
  method: 'POST',
  path: '/v1/auth/sms-codes',
  handler: 'functions/auth/send-code.ts',
  access: 'public',
  summary: 'Send an SMS verification code (same answer whether or not the phone has an account)',
  tag: 'Identity',
  request: { body: SendCodeBody },
  responses: { 202: { description: 'Code sent', schema: SendCodeResult }, ...errors(400, 429) },
  needs: { table: 'readWrite', sms: true, signingKey: true },
} as const satisfies RouteSpec;

export const register = {
  method: 'POST',
  path: '/v1/auth/register',
  handler: 'functions/auth/register.ts',
  access: 'public',
  summary: 'Register a citizen account with a verified phone (one account per number)',
  tag: 'Identity',
  request: { body: RegisterBody },
  responses: { 201: { description: 'Registered and logged in', schema: SessionBody }, ...errors(400, 401, 409) },
  needs: { table: 'readWrite', signingKey: true },
} as const satisfies RouteSpec;

export const login = {
  method: 'POST',
  path: '/v1/auth/login',
  handler: 'functions/auth/login.ts',
  access: 'public',
  summary: 'Log in with a phone and an SMS code',
  tag: 'Identity',
  request: { body: LoginBody },
  responses: { 200: { description: 'Logged in', schema: SessionBody }, ...errors(400, 401, 403) },
  needs: { table: 'readWrite', signingKey: true },
} as const satisfies RouteSpec;

export const refreshSession = {
  method: 'POST',
  path: '/v1/auth/refresh',
  handler: 'functions/auth/refresh.ts',
  access: 'public',
  summary: 'Exchange a refresh token for a new access token and the next refresh token (rotation; a reused token ends the session)',
  tag: 'Identity',
  request: { body: RefreshBody },
  responses: { 200: { description: 'Refreshed', schema: RefreshedBody }, ...errors(400, 401) },
  needs: { table: 'readWrite', signingKey: true },
} as const satisfies RouteSpec;

export const logout = {
  method: 'POST',
  path: '/v1/auth/logout',
  handler: 'functions/auth/logout.ts',
  access: ROLES,
  summary: 'End the session of a refresh token (idempotent)',
  tag: 'Identity',
  request: { body: LogoutBody },
  responses: { 204: { description: 'Logged out' }, ...errors(400, 401) },
  needs: { table: 'readWrite' },
} as const satisfies RouteSpec;

export const getMe = {
  method: 'GET',
  path: '/v1/me',
  handler: 'functions/auth/me.ts',
  access: ['citizen', 'supervisor', 'agent', 'dispatcher', 'handler', 'leader', 'admin'],
  summary: 'The caller\'s own account',
  tag: 'Identity',
  responses: { 200: { description: 'The account', schema: MeBody }, ...errors(401) },
  needs: { table: 'read' },
} as const satisfies RouteSpec;

export const createStaff = {
  method: 'POST',
  path: '/v1/admin/staff',
  handler: 'functions/admin/create-staff.ts',
  access: ['admin'],
  summary: 'Create a staff account with roles and a department',
  tag: 'Admin',
  request: { body: CreateStaffBody },
  responses: { 201: { description: 'Created', schema: StaffCreatedBody }, ...errors(400, 401, 403, 409) },
  needs: { table: 'readWrite', auditKey: true },
} as const satisfies RouteSpec;

export const listStaff = {
  method: 'GET',
  path: '/v1/staff',
  handler: 'functions/staff/list-staff.ts',
  access: ['agent', 'dispatcher', 'admin'],
  summary: 'The staff directory by name (a dispatcher sees its own department subtree): pick an assigneeId here',
  tag: 'Staff',
  request: { query: StaffQuery },
  responses: { 200: { description: 'Staff', schema: StaffList }, ...errors(400, 401, 403) },
} as const satisfies RouteSpec;

export const updateStaff = {
  method: 'PATCH',
  path: '/v1/admin/staff/{id}',
  handler: 'functions/admin/update-staff.ts',
  access: ['admin'],
  summary: 'Change a staff account: name, roles, department, patrolled grids, status (disabling ends its sessions)',
  tag: 'Admin',
  request: { params: StaffParams, body: StaffPatchBody },
  responses: { 200: { description: 'Changed', schema: StaffEntry }, ...errors(400, 401, 403, 404, 409) },
  needs: { table: 'readWrite', auditKey: true },
} as const satisfies RouteSpec;

export const importStaffBatch = {
  method: 'POST',
  path: '/v1/admin/staff/batch',
  handler: 'functions/admin/batch-staff.ts',
  access: ['admin'],
  summary: 'Create or update up to 500 staff accounts, the phone as the key; every row is checked first, nothing is written on dryRun or when a row is invalid',
  description:
    'Each row (StaffBatchRow) is answered with its outcome: created, updated, unchanged or invalid (with its errors: the schema, an unknown department or grid, a phone twice in the batch or belonging to a citizen, the last active administrator). Nothing is written on `dryRun` or when any row is invalid; otherwise the changes are written in transactions of 49 rows. A change by someone else meanwhile stops the batch with 409 after the chunks before it were written: sending the same rows again finishes it (those rows are then unchanged).',
  tag: 'Admin',
  request: { body: StaffBatchBody },
  responses: { 200: { description: 'Every row\'s outcome', schema: StaffBatchResult }, ...errors(400, 401, 403, 409) },
  needs: { table: 'readWrite', auditKey: true },
  maxBodyBytes: 512 * 1024,
} as const satisfies RouteSpec;

export const listStaffForAdmin = {
  method: 'GET',
  path: '/v1/admin/staff',
  handler: 'functions/admin/list-staff.ts',
  access: ['admin'],
  summary: 'The staff directory with phone numbers (export, 人员管理), by name; filters: status, department, role, a part of the name',
  tag: 'Admin',
  request: { query: AdminStaffQuery },
  responses: { 200: { description: 'Staff', schema: AdminStaffList }, ...errors(400, 401, 403) },
  needs: { table: 'read' },
} as const satisfies RouteSpec;
