import * as z from '#shared/validation/zod';
import { warnTask } from '#shared/domain/escalation/use-cases';
import { TimerTaskInput } from '#shared/schemas/escalation';
import { getEscalationDeps } from '#shared/wiring/events';

/** State `Warn` (黄灯): checks the case and records the `warn` event; returns the next plan. */
export const handler = async (input: unknown) => warnTask(getEscalationDeps(), z.parse(TimerTaskInput, input));
