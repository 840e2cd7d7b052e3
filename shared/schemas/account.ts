import * as z from 'zod';
import { CaseBody } from './cases.ts';
import { UserBody } from './identity.ts';

export const MyDataExport = z
  .object({
    exportedAt: z.string(),
    account: UserBody.extend({ status: z.enum(['active', 'disabled']), createdAt: z.string() }),
    cases: z.array(CaseBody).meta({ description: 'Every case the person reported, as they see it' }),
    ratings: z.array(
      z.object({ caseId: z.string(), caseNumber: z.string().optional(), satisfied: z.boolean(), score: z.number().optional(), comment: z.string().optional(), at: z.string() }),
    ),
  })
  .meta({ id: 'MyDataExport' });
