import * as z from '#shared/validation/zod';

/** A timer task's input, as the state machine passes it (validated: the tasks trust nothing). */
export const TimerTaskInput = z.object({
  caseId: z.string().check(z.minLength(1), z.maxLength(64)),
  timerSeq: z.number().check(z.int(), z.gt(0)),
});

export const EscalateTaskInput = z.lazy(() => z.extend(TimerTaskInput, { level: z.number().check(z.int(), z.gte(1), z.lte(10)) }));
