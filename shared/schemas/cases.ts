import * as z from '#shared/validation/zod';
import { CASE_STATUSES, CHANNELS, FIELD_CHECK_KINDS, LOCATION_SOURCES, PRIORITIES, REQUEST_KINDS } from '#shared/domain/cases/model';
import { parseCaseNumber } from '#shared/domain/cases/views';
import { TASK_KINDS } from '#shared/domain/cases/tasks';
import { PHOTO_FLAGS, PHOTO_KEY_MAX_LENGTH, PHOTO_KEY_PATTERN, PHOTO_KINDS } from '#shared/domain/photos/model';
import { ROLES } from '#shared/domain/roles';
import { PageQuery } from './common.ts';
import { Location } from './location.ts';

export { Location };

const Note = z.lazy(() => z.string().check(z.trim(), z.minLength(1), z.maxLength(1000)));
const PhotoKey = z.lazy(() => z.withMeta(z.string().check(z.maxLength(PHOTO_KEY_MAX_LENGTH), z.regex(PHOTO_KEY_PATTERN, 'A photoKey returned by POST /v1/uploads')), { example: 'uploads/before/0b8f5c1e-3f6a-4d2b-9c1d-2a7e5f9b8c3d.jpg' }));
/** Up to 9 photos, each once (a key listed twice is a mistake, and DynamoDB's BatchGet refuses it). */
const PhotoKeys = z.lazy(() => z.array(PhotoKey).check(z.maxLength(9), z.refine((keys) => new Set(keys).size === keys.length, 'A photo is listed twice')));
const ExpectedVersion = z.lazy(() => z.withMeta(z.optional(z.number().check(z.int(), z.gte(1))), { description: 'Refuse with 409 if the case changed since you read this version' }));

/** A case id as the API hands it out; one given in capitals means the same case (keys are lower-case), so it is lower-cased. */
const CaseId = (message?: string) => z.string().check(z.toLowerCase(), z.uuid(message));
export const CaseParams = z.lazy(() => z.object({ id: CaseId('A case id') }));
export { IdempotencyKey } from './idempotency-key.ts';

/**
 * A problem's description: 2–2000 characters after trimming, counted in code points (Chinese is dense:
 * 井盖缺失 says it all in four; an emoji is one character, not two).
 */
/** Unpaired UTF-16 surrogates: not text (DynamoDB would store them as they are). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * What a reporter wrote: at least 2 characters once invisible ones (zero-width spaces, joiners) are not
 * counted, at least one of them a letter or a digit (井盖缺失 is a whole description; 🚧🚧 is not).
 */
export const Description = z.lazy(() => z.string().check(
  z.trim(),
  z.maxLength(2000),
  z.refine((text) => !LONE_SURROGATE.test(text), 'Not valid text (a broken character)'),
  z.refine((text) => [...text.replace(/[\p{Cf}\s]/gu, '')].length >= 2 && /[\p{L}\p{N}]/u.test(text), 'Describe the problem in at least 2 characters, in words'),
));

export const ReportBody = z.lazy(() => z.withMeta(z.strict(z.object({
  description: Description,
  location: z.withMeta(z.optional(Location), { description: 'Required, except in a video report with a cameraId (the camera\'s place is taken)' }),
  address: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  photoKeys: z.optional(PhotoKeys),
  categoryCode: z.optional(z.string().check(z.regex(/^[A-Z0-9]{2,12}$/))),
  channel: z.withMeta(z.optional(z.enum(['app', 'wechat', 'video'])), { description: 'Citizens: app (default) or wechat. Supervisors: patrol unless video (视频巡查, supervisors only)' }),
  cameraId: z.withMeta(z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,62}$/))), { description: 'channel video: a camera of GET /v1/cameras; its place is the case\'s unless location is given' }),
  locationSource: z.withMeta(z.optional(z.enum(LOCATION_SOURCES)), { description: 'gps (default): the device\'s position; map: picked on the map; address: the chosen community grid\'s centre (the address says where)' }),
})), { id: 'ReportRequest' }));

const Actor = z.lazy(() => z.withMeta(z.object({ id: z.optional(z.string()), role: z.union([z.enum(ROLES), z.literal('system')]), displayName: z.string(), departmentId: z.optional(z.string()) }), { description: 'Staff views: who (id, name, their department). Reporters: role and a public name (the role\'s or the department\'s) only' }));
export const CaseBody = z.lazy(() => z.withMeta(z.object({
    id: z.string(),
    caseNumber: z.optional(z.string()),
    caseNumberLabel: z.withMeta(z.optional(z.string()), { description: '【2026】字第【123】号' }),
    status: z.enum(CASE_STATUSES),
    channel: z.enum(CHANNELS),
    description: z.string(),
    location: z.optional(z.object({ lat: z.number(), lng: z.number() })),
    address: z.optional(z.string()),
    gridId: z.optional(z.string()),
    gridName: z.optional(z.string()),
    categoryCode: z.optional(z.string()),
    categoryName: z.optional(z.string()),
    reporterId: z.optional(z.string()),
    camera: z.withMeta(z.optional(z.object({ id: z.string(), name: z.string() })), { description: 'Video patrol (视频巡查): the camera, staff only' }),
    hotlineTicketId: z.optional(z.string()),
    locationSource: z.withMeta(z.optional(z.enum(LOCATION_SOURCES)), { description: 'Staff only: how the reporter gave the place (定位方式)' }),
    callerPhone: z.withMeta(z.optional(z.string()), { description: 'Hotline cases, staff only, masked (+86 138****0007)' }),
    submission: z.withMeta(z.optional(z.object({
        client: z.object({ keyId: z.string(), name: z.string() }),
        accountId: z.optional(z.string()),
        deviceId: z.optional(z.string()),
        email: z.optional(z.string()),
        firstName: z.optional(z.string()),
        lastName: z.optional(z.string()),
        phone: z.optional(z.string()),
        mediaUrl: z.optional(z.string()),
        attributes: z.optional(z.record(z.string(), z.union([z.string(), z.array(z.string())]))),
      })), { description: 'Open311 cases, staff only: what the client passed about its user (phone masked)' }),
    assignment: z.optional(z.object({ departmentId: z.string(), departmentName: z.string(), assigneeId: z.optional(z.string()), assigneeName: z.optional(z.string()) })),
    dueAt: z.optional(z.string()),
    priority: z.withMeta(z.enum(PRIORITIES), { description: 'urgent (紧急): deadline in clock hours, first in the queue' }),
    pendingRequest: z.withMeta(z.optional(z.object({ kind: z.enum(REQUEST_KINDS), reason: z.string(), hours: z.optional(z.number()), requestedBy: Actor, at: z.string() })), { description: 'A request waiting for its decision (staff only)' }),
    extensionCount: z.withMeta(z.number().check(z.int()), { description: 'Approved extensions (延期)' }),
    supervisionCount: z.withMeta(z.number().check(z.int()), { description: 'Manual supervisions (督办)' }),
    overdue: z.boolean(),
    escalationLevel: z.number().check(z.int()),
    reworkCount: z.number().check(z.int()),
    rejectReason: z.optional(z.string()),
    duplicateOf: z.optional(z.string()),
    rating: z.optional(z.object({ satisfied: z.boolean(), score: z.optional(z.number()), comment: z.optional(z.string()), at: z.string() })),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.optional(z.string()),
    version: z.number().check(z.int()),
    mergedInto: z.withMeta(z.optional(z.string()), { description: '`merged` cases: the case that carries the problem on' }),
    supporterCount: z.withMeta(z.optional(z.number().check(z.int())), { description: '"Me too" supporters and merged reports' }),
    fieldCheck: z.withMeta(z.optional(z.object({
        kind: z.enum(FIELD_CHECK_KINDS),
        supervisorId: z.string(),
        supervisorName: z.string(),
        requestedAt: z.string(),
        dueAt: z.string(),
        note: z.optional(z.string()),
        answer: z.optional(z.object({ confirmed: z.boolean(), note: z.optional(z.string()), photoKeys: z.optional(z.array(z.string())), at: z.string(), late: z.boolean() })),
        cancelledAt: z.optional(z.string()),
      })), { description: 'Staff only: the latest field check (核实/核查) and its answer' }),
  }), { id: 'Case' }));
export const CaseEnvelope = z.lazy(() => z.object({ case: CaseBody }));
export const CaseEventBody = z.lazy(() => z.withMeta(z.object({
    seq: z.number().check(z.int()),
    at: z.string(),
    action: z.string(),
    fromStatus: z.optional(z.enum(CASE_STATUSES)),
    toStatus: z.enum(CASE_STATUSES),
    actor: Actor,
    note: z.optional(z.string()),
    departmentId: z.optional(z.string()),
    departmentName: z.optional(z.string()),
    assigneeId: z.optional(z.string()),
    assigneeName: z.withMeta(z.optional(z.string()), { description: 'Staff views only' }),
    photoKeys: z.optional(z.array(z.string())),
    relatedCaseId: z.withMeta(z.optional(z.string()), { description: '`merge` events: the case merged into' }),
    relatedCaseNumber: z.withMeta(z.optional(z.string()), { description: '`merge` events: its number, when it has one (also shown to the reporter)' }),
    relatedCaseNumberLabel: z.optional(z.string()),
    escalationLevel: z.optional(z.number().check(z.int())),
    requestKind: z.withMeta(z.optional(z.enum(REQUEST_KINDS)), { description: 'request, extend, suspend, void, decline: the kind of request (staff only)' }),
    hours: z.optional(z.number()),
  }), { id: 'CaseEvent' }));
const PhotoRef = z.lazy(() => z.withMeta(z.object({ photoKey: z.string(), url: z.string(), thumbnailUrl: z.string() }), { description: 'Signed GET URLs (5 minutes) of the cleaned copy and its thumbnail' }));
/** 照片核查 — what each photo proves (staff views only). */
export const PhotoCheckBody = z.lazy(() => z.withMeta(z.object({
  photoKey: z.string(),
  kind: z.enum(PHOTO_KINDS),
  takenAt: z.optional(z.string()),
  takenAtSource: z.optional(z.enum(['exif', 'app'])),
  distanceMetres: z.withMeta(z.optional(z.number()), { description: 'From the case\'s location to where the photo was taken (EXIF GPS, else the app\'s capturedLocation)' }),
  reusedFrom: z.withMeta(z.optional(z.object({ caseId: z.optional(z.string()), caseNumber: z.optional(z.string()), kind: z.enum(PHOTO_KINDS), hammingDistance: z.number(), outsideScope: z.optional(z.literal(true)) })), {
    description: 'The earlier photo it matches: the case\'s id and number only when the viewer may read that case; otherwise outsideScope (a case of another jurisdiction, 另一辖区的案件) with the kind and distance only',
  }),
  flags: z.withMeta(z.array(z.enum(PHOTO_FLAGS)), {
    description: 'reused: an after photo within 6 bits (64-bit dHash) of a photo of another case or of this case\'s before photo; far-from-case: taken farther than PHOTO_FAR_METRES (200 m); taken-before-dispatch: an after photo taken before the case last reached its handler; no-time: no EXIF or app time',
  }),
}), { id: 'PhotoCheck' }));

export const CaseDetailBody = z.lazy(() => z.withMeta(z.object({
  case: CaseBody,
  timeline: z.array(CaseEventBody),
  photos: z.object({ before: z.array(PhotoRef), after: z.array(PhotoRef) }),
  photoChecks: z.withMeta(z.optional(z.array(PhotoCheckBody)), { description: 'Staff views only: the evidence checks of every photo (never in a reporter\'s view)' }),
}), { id: 'CaseDetail' }));
export const CaseListBody = z.lazy(() => z.object({ items: z.array(CaseBody), nextCursor: z.optional(z.string()) }));

export const QueueQuery = z.lazy(() => z.strict(z.extend(PageQuery, {
  status: z.optional(z.enum(CASE_STATUSES)),
  departmentId: z.withMeta(z.optional(z.string().check(z.maxLength(63))), { description: 'The cases held by this department or any department below it (a dispatcher: within its own subtree, which is also the default)' }),
  gridId: z.optional(z.string().check(z.maxLength(63))),
  overdue: z.optional(z.pipe(z.enum(['true', 'false']), z.transform((v) => v === 'true'))),
  caseNumber: z.withMeta(z.optional(z.pipe(z.string().check(z.maxLength(40)), z.transform((text, ctx) => {
      const number = parseCaseNumber(text);
      if (!number) {
        z.addIssue(ctx, { code: 'custom', message: 'A case number (2026-000123) or its label (【2026】字第【123】号)' });
        return z.NEVER;
      }
      return number;
    }))), { description: 'Look one case up by its number or label (0 or 1 item; other filters are ignored)', example: '2026-000123' }),
})));

export const FileBody = z.lazy(() => z.strict(z.object({
  categoryCode: z.string().check(z.regex(/^[A-Z0-9]{2,12}$/)),
  gridId: z.optional(z.string().check(z.maxLength(63))),
  priority: z.withMeta(z.optional(z.enum(PRIORITIES)), { description: 'urgent (紧急): the category\'s urgentHours in clock hours, day and night' }),
  note: z.optional(Note),
  expectedVersion: ExpectedVersion,
})));
export const RejectBody = z.lazy(() => z.strict(z.object({ reason: Note, duplicateOf: z.optional(CaseId()), expectedVersion: ExpectedVersion })));
export const DispatchBody = z.lazy(() => z.strict(z.object({ departmentId: z.optional(z.string().check(z.maxLength(63))), assigneeId: z.optional(z.string().check(z.maxLength(64))), note: z.optional(Note), expectedVersion: ExpectedVersion })));
export const ReturnBody = z.lazy(() => z.strict(z.object({ reason: Note, expectedVersion: ExpectedVersion })));
export const CompleteBody = z.lazy(() => z.strict(z.object({ note: z.optional(Note), photoKeys: z.pipe(PhotoKeys, z.array(z.string()).check(z.minLength(1, 'At least one after photo'))), expectedVersion: ExpectedVersion })));
export const VerifyBody = z.lazy(() => z.strict(z.object({ approved: z.boolean(), note: z.optional(Note), expectedVersion: ExpectedVersion })));
export const MergeBody = z.lazy(() => z.strict(z.object({ intoCaseId: CaseId('A case id'), note: z.optional(Note), expectedVersion: ExpectedVersion })));
export const FieldCheckBody = z.lazy(() => z.strict(z.object({ kind: z.enum(FIELD_CHECK_KINDS), supervisorId: z.optional(z.string().check(z.maxLength(64))), note: z.optional(Note), expectedVersion: ExpectedVersion })));
export const FieldCheckAnswerBody = z.lazy(() => z.strict(z.object({ confirmed: z.boolean(), note: z.optional(Note), photoKeys: z.optional(PhotoKeys), expectedVersion: ExpectedVersion })));
export const TaskListBody = z.lazy(() => z.withMeta(z.object({
    items: z.array(z.object({
      kind: z.withMeta(z.enum(TASK_KINDS), { description: 'handle: dispatched to me; rework: back to me after a failed verification; verify-report (核实) and check-result (核查): field checks; roll-call: 点名, answer with POST /v1/me/roll-calls/{id}/answer (first, on the first page)' }),
      dueAt: z.withMeta(z.optional(z.string()), { description: 'The check\'s or roll call\'s due time, or the case\'s deadline (absent when it has none)' }),
      rollCall: z.withMeta(z.optional(z.object({ id: z.string(), sentAt: z.string(), dueAt: z.string(), note: z.optional(z.string()) })), { description: 'roll-call items: the open roll call' }),
      caseId: z.optional(z.string()),
      case: z.optional(CaseBody),
      photos: z.withMeta(z.optional(z.object({ before: z.array(z.object({ photoKey: z.string() })) })), { description: 'The case\'s before photos by photoKey (view URLs expire: fetch them from the case detail when online)' }),
    })),
    nextCursor: z.optional(z.string()),
  }), { id: 'MyTasks' }));
export const RatingBody = z.lazy(() => z.strict(z.object({ satisfied: z.boolean(), score: z.optional(z.number().check(z.int(), z.gte(1), z.lte(5))), comment: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))), expectedVersion: ExpectedVersion })));

export const RequestBody = z.lazy(() => z.withMeta(z.strict(z.object({
    kind: z.enum(REQUEST_KINDS),
    reason: Note,
    hours: z.withMeta(z.optional(z.number().check(z.int(), z.gte(1), z.lte(720))), { description: 'Extensions: working hours to add (clock hours for an urgent case), 1–720' }),
    expectedVersion: ExpectedVersion,
  })).check(z.superRefine((body, ctx) => {
    if (body.kind === 'extension' && body.hours === undefined) ctx.addIssue({ code: 'custom', path: ['hours'], message: 'Required for an extension' });
    if (body.kind !== 'extension' && body.hours !== undefined) ctx.addIssue({ code: 'custom', path: ['hours'], message: 'Only for an extension' });
  })), { id: 'CaseRequest' }));
export const DecisionBody = z.lazy(() => z.withMeta(z.strict(z.object({ approved: z.boolean(), note: z.optional(Note), expectedVersion: ExpectedVersion })), { id: 'CaseRequestDecision' }));
export const ResumeBody = z.lazy(() => z.strict(z.object({ note: z.optional(Note), expectedVersion: ExpectedVersion })));
export const SuperviseBody = z.lazy(() => z.strict(z.object({ note: Note, expectedVersion: ExpectedVersion })));

export const HotlineTicketBody = z.lazy(() => z.withMeta(z.strict(z.object({
  ticketId: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[\w.:-]+$/)),
  callerPhone: z.string().check(z.maxLength(32)),
  description: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)),
  address: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  location: z.optional(Location),
  receivedAt: z.iso.datetime({ offset: true }),
})), { id: 'HotlineTicket' }));
export const HotlineAccepted = z.lazy(() => z.withMeta(z.object({ caseId: z.string() }), { id: 'HotlineAccepted' }));
