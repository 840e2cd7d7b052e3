import * as z from '#shared/validation/zod';
import { normalizePhone } from '#shared/domain/phone';
import { ROLES, STAFF_ROLES } from '#shared/domain/roles';
import { PageQuery } from './common.ts';
import { FIELD_MESSAGES } from './field-messages.ts';

/** A phone number in, E.164 out (`13800000007` → `+8613800000007`). */
export const Phone = z.lazy(() => z.withMeta(z.pipe(z.string().check(z.maxLength(32)), z.transform((value, ctx) => {
  const phone = normalizePhone(value);
  if (!phone) {
    z.addIssue(ctx, { code: 'custom', message: FIELD_MESSAGES.phone });
    return z.NEVER;
  }
  return phone;
})), { description: 'E.164, or an 11-digit mainland mobile number', example: '+8613800000007' }));

const Code = z.lazy(() => z.string().check(z.regex(/^\d{6}$/, FIELD_MESSAGES.smsCode)));

export const SendCodeBody = z.lazy(() => z.withMeta(z.strict(z.object({ phone: Phone, purpose: z.enum(['register', 'login']) })), { id: 'SendCodeRequest' }));
export const SendCodeResult = z.lazy(() => z.withMeta(z.object({ expiresInSeconds: z.number().check(z.int()), resendAfterSeconds: z.number().check(z.int()) }), { id: 'SendCodeResult' }));

export const RegisterBody = z.lazy(() => z.withMeta(z.strict(z.object({ phone: Phone, code: Code, displayName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(40))) })), { id: 'RegisterRequest' }));
export const LoginBody = z.lazy(() => z.withMeta(z.strict(z.object({ phone: Phone, code: Code })), { id: 'LoginRequest' }));

export const UserBody = z.withMeta(z.object({
  id: z.string(),
  phone: z.withMeta(z.string(), { description: 'Full E.164 for the owner; masked (+86 138****0007) for anyone else' }),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  departmentId: z.optional(z.string()),
  gridIds: z.withMeta(z.optional(z.array(z.string())), { description: 'Supervisors: the grids they patrol' }),
  status: z.optional(z.enum(['active', 'disabled'])),
}), { id: 'User' });

const RefreshToken = z.lazy(() => z.withMeta(z.string().check(z.minLength(16), z.maxLength(256)), { description: 'Opaque; lives 30 days; replaced by every refresh (keep only the newest). A token used twice ends the whole session.' }));

export const SessionBody = z.lazy(() => z.withMeta(z.object({ accessToken: z.string(), expiresIn: z.withMeta(z.number().check(z.int()), { description: 'Seconds' }), refreshToken: RefreshToken, user: UserBody }), { id: 'Session' }));

export const RefreshBody = z.lazy(() => z.withMeta(z.strict(z.object({ refreshToken: RefreshToken })), { id: 'RefreshRequest' }));
export const RefreshedBody = z.lazy(() => z.withMeta(z.object({ accessToken: z.string(), expiresIn: z.withMeta(z.number().check(z.int()), { description: 'Seconds' }), refreshToken: RefreshToken }), { id: 'RefreshedSession' }));
export const LogoutBody = z.lazy(() => z.withMeta(z.strict(z.object({ refreshToken: RefreshToken })), { id: 'LogoutRequest' }));

export const MeBody = z.lazy(() => z.object({ user: UserBody }));

export const CreateStaffBody = z.lazy(() => z.withMeta(z.strict(z.object({
  phone: Phone,
  displayName: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
  roles: z.array(z.enum(STAFF_ROLES)).check(z.minLength(1), z.maxLength(STAFF_ROLES.length)),
  departmentId: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,62}$/, FIELD_MESSAGES.departmentId)),
})), { id: 'CreateStaffRequest' }));
export const StaffCreatedBody = z.lazy(() => z.object({ user: UserBody }));

const DepartmentId = z.lazy(() => z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,62}$/, FIELD_MESSAGES.departmentId)));

export const StaffQuery = z.lazy(() => z.strict(z.extend(PageQuery, {
  departmentId: z.optional(DepartmentId),
  role: z.optional(z.enum(STAFF_ROLES)),
  q: z.withMeta(z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(40))), { description: 'A part of the name' }),
})));

export const StaffEntry = z.lazy(() => z.withMeta(z.object({
  id: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  departmentId: z.string(),
  departmentName: z.string(),
  gridIds: z.optional(z.array(z.string())),
  status: z.enum(['active', 'disabled']),
}), { id: 'StaffEntry' }));
export const StaffList = z.lazy(() => z.withMeta(z.object({ items: z.array(StaffEntry), nextCursor: z.optional(z.string()) }), { id: 'StaffList' }));

export const StaffParams = z.lazy(() => z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) }));
export const StaffPatchBody = z.lazy(() => z.withMeta(z.strict(z.object({
  displayName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(40))),
  roles: z.optional(z.array(z.enum(STAFF_ROLES)).check(z.minLength(1), z.maxLength(STAFF_ROLES.length))),
  departmentId: z.optional(DepartmentId),
  gridIds: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(63))).check(z.maxLength(200))),
  status: z.optional(z.enum(['active', 'disabled'])),
})).check(z.refine((body) => Object.keys(body).length > 0, { message: FIELD_MESSAGES.changeOne })), { id: 'StaffPatchRequest' }));

// ---- Administration: staff in bulk and the directory with phones -------------------------------------

/** One row of `POST /v1/admin/staff/batch` (each row is checked on its own: a bad row is `invalid`, not a 400). */
export const StaffBatchRow = z.lazy(() => z.withMeta(z.strict(z.object({
  phone: Phone,
  displayName: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
  roles: z.array(z.enum(STAFF_ROLES)).check(z.minLength(1), z.maxLength(STAFF_ROLES.length)),
  departmentId: DepartmentId,
  gridIds: z.withMeta(z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(63))).check(z.maxLength(200))), { description: 'Absent: an existing account keeps its grids' }),
  status: z.withMeta(z.optional(z.enum(['active', 'disabled'])), { description: 'Absent: an existing account keeps its status, a new one is active' }),
})), { id: 'StaffBatchRow' }));

export const StaffBatchBody = z.lazy(() => z.withMeta(z.strict(z.object({
  items: z.withMeta(z.array(z.record(z.string(), z.unknown())).check(z.minLength(1), z.maxLength(500)), { description: 'Up to 500 rows, each a StaffBatchRow; the phone is the key' }),
  dryRun: z.optional(z.boolean()),
})), { id: 'StaffBatchRequest' }));

export const StaffBatchResult = z.lazy(() => z.withMeta(z.object({
  items: z.array(z.object({
    row: z.withMeta(z.number().check(z.int()), { description: '1-based position in items' }),
    phone: z.string(),
    outcome: z.enum(['created', 'updated', 'unchanged', 'invalid']),
    userId: z.optional(z.string()),
    errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  })),
  dryRun: z.boolean(),
  written: z.withMeta(z.number().check(z.int()), { description: 'Accounts created or changed (0 on a dry run or when a row is invalid)' }),
}), { id: 'StaffBatchResult' }));

export const AdminStaffQuery = z.lazy(() => z.strict(z.extend(PageQuery, {
  status: z.optional(z.enum(['active', 'disabled'])),
  departmentId: z.optional(DepartmentId),
  role: z.optional(z.enum(STAFF_ROLES)),
  q: z.withMeta(z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(40))), { description: 'A part of the name' }),
  phone: z.withMeta(z.optional(Phone), { description: 'A whole phone number (E.164, or 11 mainland digits): the staff member holding it, if any (one lookup by the phone, not a search of the directory)' }),
})));

export const AdminStaffEntry = z.lazy(() => z.withMeta(z.object({
  id: z.string(),
  phone: z.withMeta(z.string(), { description: 'Full E.164 (admins only)' }),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  departmentId: z.string(),
  departmentName: z.string(),
  gridIds: z.array(z.string()),
  status: z.enum(['active', 'disabled']),
  createdAt: z.string(),
}), { id: 'AdminStaffEntry' }));
export const AdminStaffList = z.lazy(() => z.withMeta(z.object({ items: z.array(AdminStaffEntry), nextCursor: z.optional(z.string()) }), { id: 'AdminStaffList' }));
