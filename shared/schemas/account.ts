import * as z from '#shared/validation/zod';
import { CaseBody } from './cases.ts';
import { UserBody } from './identity.ts';

export const MyDataExport = z.lazy(() => z.withMeta(z.object({
  exportedAt: z.string(),
  account: z.extend(UserBody, { status: z.enum(['active', 'disabled']), createdAt: z.string() }),
  cases: z.withMeta(z.array(CaseBody), { description: 'Every case the person reported, as they see it' }),
  ratings: z.array(
    z.object({ caseId: z.string(), caseNumber: z.optional(z.string()), satisfied: z.boolean(), score: z.optional(z.number()), comment: z.optional(z.string()), at: z.string() }),
  ),
  dutySpans: z.withMeta(z.optional(z.array(z.object({ start: z.string(), end: z.optional(z.string()), startLocation: z.object({ lat: z.number(), lng: z.number() }), endLocation: z.optional(z.object({ lat: z.number(), lng: z.number() })) }))), { description: 'Staff: their duty spans (考勤) still kept (TRACK_RETENTION_DAYS)' }),
  trackPoints: z.withMeta(z.optional(z.array(z.object({ at: z.string(), lat: z.number(), lng: z.number(), accuracyMetres: z.optional(z.number()) }))), { description: 'Staff: their track points (轨迹) still kept' }),
}), { id: 'MyDataExport' }));
