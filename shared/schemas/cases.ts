import * as z from 'zod';
import { CASE_STATUSES, CHANNELS, FIELD_CHECK_KINDS, PRIORITIES, REQUEST_KINDS } from '#shared/domain/cases/model';
import { parseCaseNumber } from '#shared/domain/cases/views';
import { PHOTO_KEY_MAX_LENGTH, PHOTO_KEY_PATTERN } from '#shared/domain/photos/model';
import { ROLES } from '#shared/domain/roles';
import { roundCoordinate } from '#shared/domain/geo/coordinates';
import { PageQuery } from './common.ts';

const Note = z.string().trim().min(1).max(1000);
const PhotoKey = z
  .string()
  .max(PHOTO_KEY_MAX_LENGTH)
  .regex(PHOTO_KEY_PATTERN, 'A photoKey returned by POST /v1/uploads')
  .meta({ example: 'uploads/before/0b8f5c1e-3f6a-4d2b-9c1d-2a7e5f9b8c3d.jpg' });
/** Up to 9 photos, each once (a key listed twice is a mistake, and DynamoDB's BatchGet refuses it). */
const PhotoKeys = z
  .array(PhotoKey)
  .max(9)
  .refine((keys) => new Set(keys).size === keys.length, 'A photo is listed twice');
const ExpectedVersion = z.number().int().min(1).optional().meta({ description: 'Refuse with 409 if the case changed since you read this version' });

export const CaseParams = z.object({ id: z.string().uuid('A case id') });
export const IdempotencyKey = z.string().min(8).max(128).regex(/^[\w.:-]+$/, 'Letters, digits and . _ : - only');

/** Degrees, rounded to 7 decimals on input (~1 cm; also keeps numbers DynamoDB cannot store, such as 1e-320, out). */
const Degrees = (limit: number) => z.number().min(-limit).max(limit).transform(roundCoordinate);
export const Location = z
  .object({ lat: Degrees(90), lng: Degrees(180), coordSystem: z.enum(['WGS84', 'GCJ02']).optional() })
  .strict()
  .meta({ id: 'Location', description: 'WGS84 unless coordSystem is GCJ02 (WeChat, Chinese map SDKs), converted on input; rounded to 7 decimals' });

/**
 * A problem's description: 2–2000 characters after trimming, counted in code points (Chinese is dense:
 * 井盖缺失 says it all in four; an emoji is one character, not two).
 */
export const Description = z
  .string()
  .trim()
  .max(2000)
  .refine((text) => [...text].length >= 2, 'Describe the problem in at least 2 characters');

export const ReportBody = z
  .object({
    description: Description,
    location: Location,
    address: z.string().trim().min(1).max(200).optional(),
    photoKeys: PhotoKeys.optional(),
    categoryCode: z.string().regex(/^[A-Z0-9]{2,12}$/).optional(),
    channel: z.enum(['app', 'wechat']).optional(),
  })
  .strict()
  .meta({ id: 'ReportRequest' });

const Actor = z
  .object({ id: z.string().optional(), role: z.union([z.enum(ROLES), z.literal('system')]), displayName: z.string(), departmentId: z.string().optional() })
  .meta({ description: 'Staff views: who (id, name, their department). Reporters: role and a public name (the role\'s or the department\'s) only' });
export const CaseBody = z
  .object({
    id: z.string(),
    caseNumber: z.string().optional(),
    caseNumberLabel: z.string().optional().meta({ description: '【2026】字第【123】号' }),
    status: z.enum(CASE_STATUSES),
    channel: z.enum(CHANNELS),
    description: z.string(),
    location: z.object({ lat: z.number(), lng: z.number() }).optional(),
    address: z.string().optional(),
    gridId: z.string().optional(),
    gridName: z.string().optional(),
    categoryCode: z.string().optional(),
    categoryName: z.string().optional(),
    reporterId: z.string().optional(),
    hotlineTicketId: z.string().optional(),
    callerPhone: z.string().optional().meta({ description: 'Hotline cases, staff only, masked (+86 138****0007)' }),
    submission: z
      .object({
        client: z.object({ keyId: z.string(), name: z.string() }),
        accountId: z.string().optional(),
        deviceId: z.string().optional(),
        email: z.string().optional(),
        firstName: z.string().optional(),
        lastName: z.string().optional(),
        phone: z.string().optional(),
        mediaUrl: z.string().optional(),
        attributes: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
      })
      .optional()
      .meta({ description: 'Open311 cases, staff only: what the client passed about its user (phone masked)' }),
    assignment: z.object({ departmentId: z.string(), departmentName: z.string(), assigneeId: z.string().optional(), assigneeName: z.string().optional() }).optional(),
    dueAt: z.string().optional(),
    priority: z.enum(PRIORITIES).meta({ description: 'urgent (紧急): deadline in clock hours, first in the queue' }),
    pendingRequest: z
      .object({ kind: z.enum(REQUEST_KINDS), reason: z.string(), hours: z.number().optional(), requestedBy: Actor, at: z.string() })
      .optional()
      .meta({ description: 'A request waiting for its decision (staff only)' }),
    extensionCount: z.number().int().meta({ description: 'Approved extensions (延期)' }),
    supervisionCount: z.number().int().meta({ description: 'Manual supervisions (督办)' }),
    overdue: z.boolean(),
    escalationLevel: z.number().int(),
    reworkCount: z.number().int(),
    rejectReason: z.string().optional(),
    duplicateOf: z.string().optional(),
    rating: z.object({ satisfied: z.boolean(), score: z.number().optional(), comment: z.string().optional(), at: z.string() }).optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().optional(),
    version: z.number().int(),
    mergedInto: z.string().optional().meta({ description: '`merged` cases: the case that carries the problem on' }),
    supporterCount: z.number().int().optional().meta({ description: '"Me too" supporters and merged reports' }),
    fieldCheck: z
      .object({
        kind: z.enum(FIELD_CHECK_KINDS),
        supervisorId: z.string(),
        supervisorName: z.string(),
        requestedAt: z.string(),
        dueAt: z.string(),
        note: z.string().optional(),
        answer: z.object({ confirmed: z.boolean(), note: z.string().optional(), photoKeys: z.array(z.string()).optional(), at: z.string(), late: z.boolean() }).optional(),
        cancelledAt: z.string().optional(),
      })
      .optional()
      .meta({ description: 'Staff only: the latest field check (核实/核查) and its answer' }),
  })
  .meta({ id: 'Case' });
export const CaseEnvelope = z.object({ case: CaseBody });
export const CaseEventBody = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    action: z.string(),
    fromStatus: z.enum(CASE_STATUSES).optional(),
    toStatus: z.enum(CASE_STATUSES),
    actor: Actor,
    note: z.string().optional(),
    departmentId: z.string().optional(),
    departmentName: z.string().optional(),
    assigneeId: z.string().optional(),
    assigneeName: z.string().optional().meta({ description: 'Staff views only' }),
    photoKeys: z.array(z.string()).optional(),
    relatedCaseId: z.string().optional().meta({ description: '`merge` events: the case merged into' }),
    relatedCaseNumber: z.string().optional().meta({ description: '`merge` events: its number, when it has one (also shown to the reporter)' }),
    relatedCaseNumberLabel: z.string().optional(),
    escalationLevel: z.number().int().optional(),
    requestKind: z.enum(REQUEST_KINDS).optional().meta({ description: 'request, extend, suspend, void, decline: the kind of request (staff only)' }),
    hours: z.number().optional(),
  })
  .meta({ id: 'CaseEvent' });
const PhotoRef = z.object({ photoKey: z.string(), url: z.string(), thumbnailUrl: z.string() }).meta({ description: 'Signed GET URLs (5 minutes) of the cleaned copy and its thumbnail' });
export const CaseDetailBody = z.object({ case: CaseBody, timeline: z.array(CaseEventBody), photos: z.object({ before: z.array(PhotoRef), after: z.array(PhotoRef) }) }).meta({ id: 'CaseDetail' });
export const CaseListBody = z.object({ items: z.array(CaseBody), nextCursor: z.string().optional() });

export const QueueQuery = PageQuery.extend({
  status: z.enum(CASE_STATUSES).optional(),
  departmentId: z.string().max(63).optional(),
  gridId: z.string().max(63).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  caseNumber: z
    .string()
    .max(40)
    .transform((text, ctx) => {
      const number = parseCaseNumber(text);
      if (!number) {
        ctx.addIssue({ code: 'custom', message: 'A case number (2026-000123) or its label (【2026】字第【123】号)' });
        return z.NEVER;
      }
      return number;
    })
    .optional()
    .meta({ description: 'Look one case up by its number or label (0 or 1 item; other filters are ignored)', example: '2026-000123' }),
}).strict();

export const FileBody = z
  .object({
    categoryCode: z.string().regex(/^[A-Z0-9]{2,12}$/),
    gridId: z.string().max(63).optional(),
    priority: z.enum(PRIORITIES).optional().meta({ description: 'urgent (紧急): the category\'s urgentHours in clock hours, day and night' }),
    note: Note.optional(),
    expectedVersion: ExpectedVersion,
  })
  .strict();
export const RejectBody = z.object({ reason: Note, duplicateOf: z.string().uuid().optional(), expectedVersion: ExpectedVersion }).strict();
export const DispatchBody = z.object({ departmentId: z.string().max(63).optional(), assigneeId: z.string().max(64).optional(), note: Note.optional(), expectedVersion: ExpectedVersion }).strict();
export const ReturnBody = z.object({ reason: Note, expectedVersion: ExpectedVersion }).strict();
export const CompleteBody = z.object({ note: Note.optional(), photoKeys: PhotoKeys.pipe(z.array(z.string()).min(1, 'At least one after photo')), expectedVersion: ExpectedVersion }).strict();
export const VerifyBody = z.object({ approved: z.boolean(), note: Note.optional(), expectedVersion: ExpectedVersion }).strict();
export const MergeBody = z.object({ intoCaseId: z.string().uuid('A case id'), note: Note.optional(), expectedVersion: ExpectedVersion }).strict();
export const FieldCheckBody = z
  .object({ kind: z.enum(FIELD_CHECK_KINDS), supervisorId: z.string().max(64).optional(), note: Note.optional(), expectedVersion: ExpectedVersion })
  .strict();
export const FieldCheckAnswerBody = z.object({ confirmed: z.boolean(), note: Note.optional(), photoKeys: PhotoKeys.optional(), expectedVersion: ExpectedVersion }).strict();
export const TaskListBody = z
  .object({ items: z.array(z.object({ caseId: z.string(), kind: z.enum(FIELD_CHECK_KINDS), dueAt: z.string(), case: CaseBody })) })
  .meta({ id: 'FieldCheckTasks' });
export const RatingBody = z
  .object({ satisfied: z.boolean(), score: z.number().int().min(1).max(5).optional(), comment: z.string().trim().min(1).max(500).optional(), expectedVersion: ExpectedVersion })
  .strict();

export const RequestBody = z
  .object({
    kind: z.enum(REQUEST_KINDS),
    reason: Note,
    hours: z.number().int().min(1).max(720).optional().meta({ description: 'Extensions: working hours to add (clock hours for an urgent case), 1–720' }),
    expectedVersion: ExpectedVersion,
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.kind === 'extension' && body.hours === undefined) ctx.addIssue({ code: 'custom', path: ['hours'], message: 'Required for an extension' });
    if (body.kind !== 'extension' && body.hours !== undefined) ctx.addIssue({ code: 'custom', path: ['hours'], message: 'Only for an extension' });
  })
  .meta({ id: 'CaseRequest' });
export const DecisionBody = z.object({ approved: z.boolean(), note: Note.optional(), expectedVersion: ExpectedVersion }).strict().meta({ id: 'CaseRequestDecision' });
export const ResumeBody = z.object({ note: Note.optional(), expectedVersion: ExpectedVersion }).strict();
export const SuperviseBody = z.object({ note: Note, expectedVersion: ExpectedVersion }).strict();

export const HotlineTicketBody = z
  .object({
    ticketId: z.string().min(1).max(64).regex(/^[\w.:-]+$/),
    callerPhone: z.string().max(32),
    description: z.string().trim().min(1).max(2000),
    address: z.string().trim().min(1).max(200).optional(),
    location: Location.optional(),
    receivedAt: z.iso.datetime({ offset: true }),
  })
  .strict()
  .meta({ id: 'HotlineTicket' });
export const HotlineAccepted = z.object({ caseId: z.string() }).meta({ id: 'HotlineAccepted' });
