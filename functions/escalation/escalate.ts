import * as z from '#shared/validation/zod';
import { escalateTask } from '#shared/domain/escalation/use-cases';
import { EscalateTaskInput } from '#shared/schemas/escalation';
import { getEscalationDeps } from '#shared/wiring/events';

/** State `Escalate` (红灯): checks the case, marks it overdue and escalates one level; returns the next plan. */
export const handler = async (input: unknown) => escalateTask(getEscalationDeps(), z.parse(EscalateTaskInput, input));
