import * as z from 'zod';
import { normalizePhone } from '#shared/domain/phone';
import { ROLES, STAFF_ROLES } from '#shared/domain/roles';
import { PageQuery } from './common.ts';

/** A phone number in, E.164 out (`13800000007` → `+8613800000007`). */
export const Phone = z
  .string()
  .max(32)
  .transform((value, ctx) => {
    const phone = normalizePhone(value);
    if (!phone) {
      ctx.addIssue({ code: 'custom', message: 'Not a valid phone number: use E.164 (+8613800000007) or an 11-digit mainland mobile number' });
      return z.NEVER;
    }
    return phone;
  })
  .meta({ description: 'E.164, or an 11-digit mainland mobile number', example: '+8613800000007' });

const Code = z.string().regex(/^\d{6}$/, 'The code has 6 digits');

export const SendCodeBody = z.object({ phone: Phone, purpose: z.enum(['register', 'login']) }).strict().meta({ id: 'SendCodeRequest' });
export const SendCodeResult = z.object({ expiresInSeconds: z.number().int(), resendAfterSeconds: z.number().int() }).meta({ id: 'SendCodeResult' });

export const RegisterBody = z
  .object({ phone: Phone, code: Code, displayName: z.string().trim().min(1).max(40).optional() })
  .strict()
  .meta({ id: 'RegisterRequest' });
export const LoginBody = z.object({ phone: Phone, code: Code }).strict().meta({ id: 'LoginRequest' });

export const UserBody = z
  .object({
    id: z.string(),
    phone: z.string().meta({ description: 'Full E.164 for the owner; masked (+86 138****0007) for anyone else' }),
    displayName: z.string(),
    roles: z.array(z.enum(ROLES)),
    departmentId: z.string().optional(),
    gridIds: z.array(z.string()).optional().meta({ description: 'Supervisors: the grids they patrol' }),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .meta({ id: 'User' });

const RefreshToken = z
  .string()
  .min(16)
  .max(256)
  .meta({ description: 'Opaque; lives 30 days; replaced by every refresh (keep only the newest). A token used twice ends the whole session.' });

export const SessionBody = z
  .object({ accessToken: z.string(), expiresIn: z.number().int().meta({ description: 'Seconds' }), refreshToken: RefreshToken, user: UserBody })
  .meta({ id: 'Session' });

export const RefreshBody = z.object({ refreshToken: RefreshToken }).strict().meta({ id: 'RefreshRequest' });
export const RefreshedBody = z
  .object({ accessToken: z.string(), expiresIn: z.number().int().meta({ description: 'Seconds' }), refreshToken: RefreshToken })
  .meta({ id: 'RefreshedSession' });
export const LogoutBody = z.object({ refreshToken: RefreshToken }).strict().meta({ id: 'LogoutRequest' });

export const MeBody = z.object({ user: UserBody });

export const CreateStaffBody = z
  .object({
    phone: Phone,
    displayName: z.string().trim().min(1).max(40),
    roles: z.array(z.enum(STAFF_ROLES)).min(1).max(STAFF_ROLES.length),
    departmentId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'A department id (lower-case letters, digits, dashes)'),
  })
  .strict()
  .meta({ id: 'CreateStaffRequest' });
export const StaffCreatedBody = z.object({ user: UserBody });

const DepartmentId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'A department id (lower-case letters, digits, dashes)');

export const StaffQuery = PageQuery.extend({
  departmentId: DepartmentId.optional(),
  role: z.enum(STAFF_ROLES).optional(),
  q: z.string().trim().min(1).max(40).optional().meta({ description: 'A part of the name' }),
}).strict();

export const StaffEntry = z
  .object({
    id: z.string(),
    displayName: z.string(),
    roles: z.array(z.enum(ROLES)),
    departmentId: z.string(),
    departmentName: z.string(),
    gridIds: z.array(z.string()).optional(),
    status: z.enum(['active', 'disabled']),
  })
  .meta({ id: 'StaffEntry' });
export const StaffList = z.object({ items: z.array(StaffEntry), nextCursor: z.string().optional() }).meta({ id: 'StaffList' });

export const StaffParams = z.object({ id: z.string().min(1).max(64) });
export const StaffPatchBody = z
  .object({
    displayName: z.string().trim().min(1).max(40).optional(),
    roles: z.array(z.enum(STAFF_ROLES)).min(1).max(STAFF_ROLES.length).optional(),
    departmentId: DepartmentId.optional(),
    gridIds: z.array(z.string().min(1).max(63)).max(200).optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Change at least one field' })
  .meta({ id: 'StaffPatchRequest' });
