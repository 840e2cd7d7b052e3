import * as z from 'zod';
import { CASE_STATUSES } from '#shared/domain/cases/model';
import { MAX_RADIUS_METRES } from '#shared/domain/geo/nearness';
import { CaseBody } from './cases.ts';

const Radius = (fallback: number) => z.coerce.number().int().min(1).max(MAX_RADIUS_METRES).default(fallback).meta({ description: `Metres, at most ${MAX_RADIUS_METRES}` });

export const SimilarQuery = z.object({ radius: Radius(100) }).strict();
export const SimilarBody = z.object({ items: z.array(z.object({ case: CaseBody, distanceMetres: z.number().int() })) }).meta({ id: 'SimilarCases' });

export const NearbyQuery = z.object({ lat: z.coerce.number().min(-90).max(90), lng: z.coerce.number().min(-180).max(180), radius: Radius(200) }).strict();
export const NearbyBody = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        caseNumber: z.string(),
        categoryName: z.string().optional(),
        status: z.enum(CASE_STATUSES),
        distanceMetres: z.number().int(),
        location: z.object({ lat: z.number(), lng: z.number() }).meta({ description: 'Rounded to 4 decimals (about 11 m)' }),
        createdAt: z.string(),
        supporterCount: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'NearbyCases' });

export const SupportBody = z.object({ case: z.object({ id: z.string(), caseNumber: z.string(), supporterCount: z.number().int() }) }).meta({ id: 'Support' });
