import * as z from '#shared/validation/zod';
import { CASE_STATUSES } from '#shared/domain/cases/model';
import { MAX_RADIUS_METRES } from '#shared/domain/geo/nearness';
import { CaseBody } from './cases.ts';
import { QueryInteger, QueryNumber } from './common.ts';

const Radius = (fallback: number) => z.withMeta(z._default(z.pipe(QueryInteger, z.number().check(z.int(), z.gte(1), z.lte(MAX_RADIUS_METRES))), fallback), { description: `Metres, at most ${MAX_RADIUS_METRES}` });

export const SimilarQuery = z.lazy(() => z.strict(z.object({ radius: Radius(100) })));
export const SimilarBody = z.lazy(() => z.withMeta(z.object({ items: z.array(z.object({ case: CaseBody, distanceMetres: z.number().check(z.int()) })) }), { id: 'SimilarCases' }));

/** `lat`, `lng` in plain decimals: an empty `lat=` is refused (it is not 0). */
export const NearbyQuery = z.lazy(() => z.strict(z.object({ lat: z.pipe(QueryNumber, z.number().check(z.gte(-90), z.lte(90))), lng: z.pipe(QueryNumber, z.number().check(z.gte(-180), z.lte(180))), radius: Radius(200) })));
export const NearbyBody = z.lazy(() => z.withMeta(z.object({
  items: z.array(
    z.object({
      id: z.string(),
      caseNumber: z.string(),
      categoryName: z.optional(z.string()),
      status: z.enum(CASE_STATUSES),
      distanceMetres: z.number().check(z.int()),
      location: z.withMeta(z.object({ lat: z.number(), lng: z.number() }), { description: 'Rounded to 4 decimals (about 11 m)' }),
      createdAt: z.string(),
      supporterCount: z.number().check(z.int()),
    }),
  ),
}), { id: 'NearbyCases' }));

export const SupportBody = z.lazy(() => z.withMeta(z.object({ case: z.object({ id: z.string(), caseNumber: z.string(), supporterCount: z.number().check(z.int()) }) }), { id: 'Support' }));
