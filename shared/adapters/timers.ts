import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { timerName } from '#shared/domain/escalation/use-cases';
import type { TimerStarter } from '#shared/domain/events/use-cases';

/**
 * Deadline timers as Step Functions executions of the escalation state machine (locally the platform's
 * Step Functions endpoint runs the same definition). The execution name is the timer's identity, so a
 * second start of the same timer changes nothing.
 */
export function sfnTimerStarter(client: SFNClient, stateMachineArn: string): TimerStarter {
  return {
    async start(ref) {
      try {
        await client.send(new StartExecutionCommand({ stateMachineArn, name: timerName(ref), input: JSON.stringify(ref) }));
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists || (error as { name?: string }).name === 'ExecutionAlreadyExists') return;
        throw error;
      }
    },
  };
}
