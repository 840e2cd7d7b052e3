import { describe, expect, it } from 'vitest';
import { synthesizeEscalationDefinition } from '#infra/local/step-functions';
import { synthTemplate } from '../support/stack.ts';

/** Task states' `Resource` (function ARNs) differ by design: placeholders locally, GetAtt in the stack. */
const withoutResources = (definition: { States: Record<string, { Type: string; Resource?: string }> }) => ({
  ...definition,
  States: Object.fromEntries(Object.entries(definition.States).map(([name, state]) => [name, state.Type === 'Task' ? { ...state, Resource: 'task' } : state])),
});

/** `Fn::Join` of strings and `Fn::GetAtt`s, as CloudFormation would join it (ARNs as placeholders). */
const join = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const parts = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (parts) return parts[1].map(join).join(parts[0]);
  if ((value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt']) return 'arn:aws:lambda:region:account:function:task';
  throw new Error(`unexpected ${JSON.stringify(value)}`);
};

describe('the escalation definition the local platform runs', () => {
  // Two whole-stack syntheses: about 45 s on a heavily loaded machine (load average 35), hence the timeout.
  it('is the one the stack deploys, state for state (only the task functions\' ARNs differ)', { timeout: 120_000 }, () => {
    const { template } = synthTemplate();
    const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(machines).toHaveLength(1);
    const deployed = JSON.parse(join(machines[0]!.Properties.DefinitionString));
    const local = synthesizeEscalationDefinition();
    expect(withoutResources(local as never)).toEqual(withoutResources(deployed));
    expect(Object.keys(local.States).sort()).toEqual(['Ended', 'Escalate', 'Plan', 'Route', 'TimerFailed', 'WaitForDeadline', 'WaitForNextEscalation', 'WaitForRecheck', 'WaitForWarning', 'Warn']);
    // A whole-stack synth (with the console's hosting) takes over 30 s when the machine is loaded.
  });
});
