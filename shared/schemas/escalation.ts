import * as z from 'zod';

/** A timer task's input, as the state machine passes it (validated: the tasks trust nothing). */
export const TimerTaskInput = z.object({
  caseId: z.string().min(1).max(64),
  timerSeq: z.number().int().positive(),
});

export const EscalateTaskInput = TimerTaskInput.extend({ level: z.number().int().min(1).max(10) });
