import * as z from '#shared/validation/zod';
import { planTask } from '#shared/domain/escalation/use-cases';
import { TimerTaskInput } from '#shared/schemas/escalation';
import { getEscalationDeps } from '#shared/wiring/events';

/** State `Plan`: what a new deadline timer waits for first (or that it has nothing to do). */
export const handler = async (input: unknown) => planTask(getEscalationDeps(), z.parse(TimerTaskInput, input));
