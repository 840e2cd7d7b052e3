import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { StateMachine } from 'aws-local-stepfunctions';
import { ESCALATION_TASK_ENTRIES, EscalationWorkflow } from '#infra/constructs/escalation';
import { loadHandler } from './handlers.ts';

type Definition = ConstructorParameters<typeof StateMachine>[0];
type JsonValue = Parameters<InstanceType<typeof StateMachine>['run']>[0];

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
export const LOCAL_STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:citygrid-escalation-local`;

/** `Fn::Join` / `Ref` left in a synthesized definition, resolved with local placeholders. */
export function resolveIntrinsics(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(resolveIntrinsics).join(join[0]);
  const ref = (value as { Ref?: string }).Ref;
  if (ref === 'AWS::Partition') return 'aws';
  if (ref === 'AWS::Region') return REGION;
  if (ref === 'AWS::AccountId') return ACCOUNT;
  throw new Error(`Cannot resolve ${JSON.stringify(value)} in the escalation definition`);
}

/**
 * THE escalation definition, exactly as the CDK construct deploys it: the construct is built in a
 * throwaway stack (task functions imported by placeholder ARNs, so nothing is bundled) and its state
 * machine's CloudFormation `DefinitionString` is resolved — the property `cdk synth` writes, without
 * the seconds a full synth takes. test/infra/escalation-definition.test.ts checks it against the stack.
 */
export function synthesizeEscalationDefinition(): Definition {
  const stack = new Stack(new App(), 'LocalEscalation', { env: { account: ACCOUNT, region: REGION } });
  const fn = (name: string) => lambda.Function.fromFunctionArn(stack, name, `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`);
  const workflow = new EscalationWorkflow(stack, 'Escalation', { tasks: { plan: fn('Plan'), warn: fn('Warn'), escalate: fn('Escalate') }, logRetention: logs.RetentionDays.ONE_DAY });
  const cfn = workflow.stateMachine.node.defaultChild as sfn.CfnStateMachine;
  return JSON.parse(resolveIntrinsics(stack.resolve(cfn.definitionString))) as Definition;
}

export interface LocalExecution {
  name: string;
  executionArn: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: Date;
  stopDate?: Date;
  output?: unknown;
  error?: string;
  /** Names of the states entered, in order (tests read it). */
  states: string[];
  /** When each state was entered (epoch ms; the bench reads it). */
  entered: Array<{ state: string; at: number }>;
  done: Promise<void>;
  abort: () => void;
}

export interface LocalStepFunctionsOptions {
  port: number;
  repoRoot: string;
  /** Wait state name → milliseconds (tests shorten waits; the definition is unchanged). */
  waitOverrides?: Record<string, number>;
  /** Retryable state name → retry interval in milliseconds. */
  retryOverrides?: Record<string, number>;
}

export interface LocalStepFunctions {
  endpoint: string;
  stateMachineArn: string;
  executions: Map<string, LocalExecution>;
  /** Replaces the wait overrides for executions started from now on (the bench shortens waits for its part only). */
  overrideWaits(overrides: Record<string, number> | undefined): void;
  stop(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A local Step Functions endpoint (AWS JSON 1.0: StartExecution, DescribeExecution, StopExecution) that
 * runs the synthesized escalation definition with aws-local-stepfunctions; task states run the same
 * handler modules the Lambda functions run, in-process. The event processor reaches it through the
 * ordinary SDK client (`STEPFUNCTIONS_ENDPOINT`), exactly as it reaches Step Functions in the cloud.
 */
export async function startLocalStepFunctions(options: LocalStepFunctionsOptions): Promise<LocalStepFunctions> {
  // Synthesizing takes a few seconds (aws-cdk-lib loads): done in the background, awaited by the first start.
  const machineReady = new Promise<InstanceType<typeof StateMachine>>((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(new StateMachine(synthesizeEscalationDefinition(), { validationOptions: { checkArn: false } }));
      } catch (error) {
        reject(error as Error);
      }
    }),
  );
  machineReady.catch((error: Error) => console.error('[step-functions] the escalation definition could not be synthesized', error.message));
  const handlers = Object.fromEntries(
    Object.entries(ESCALATION_TASK_ENTRIES).map(([state, entry]) => [
      state,
      async (input: JsonValue) => {
        const handler = await loadHandler<JsonValue, JsonValue>(options.repoRoot, entry);
        return handler(input);
      },
    ]),
  );
  const executions = new Map<string, LocalExecution>();
  let waitOverrides = options.waitOverrides;

  const start = async (body: { stateMachineArn?: string; name?: string; input?: string }) => {
    const machine = await machineReady;
    if (body.stateMachineArn !== LOCAL_STATE_MACHINE_ARN) throw new ApiError('StateMachineDoesNotExist', `No state machine ${body.stateMachineArn}`);
    const name = body.name ?? crypto.randomUUID();
    const input = body.input ?? '{}';
    const existing = executions.get(name);
    if (existing) {
      // As Step Functions: the same name and input while running is the same execution; otherwise a conflict.
      if (existing.input === input && existing.status === 'RUNNING') return existing;
      throw new ApiError('ExecutionAlreadyExists', `Execution ${name} already exists`);
    }
    const run = machine.run(JSON.parse(input) as JsonValue, {
      overrides: {
        taskResourceLocalHandlers: handlers,
        ...(waitOverrides ? { waitTimeOverrides: waitOverrides } : {}),
        ...(options.retryOverrides ? { retryIntervalOverrides: options.retryOverrides } : {}),
      },
      noThrowOnAbort: true,
    });
    const execution: LocalExecution = {
      name,
      executionArn: `${LOCAL_STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`,
      input,
      status: 'RUNNING',
      startDate: new Date(),
      states: [],
      entered: [],
      abort: run.abort,
      done: Promise.resolve(),
    };
    const followStates = (async () => {
      for await (const log of run.eventLogs) {
        if (log.type !== 'StateEntered') continue;
        execution.states.push(log.state.name);
        execution.entered.push({ state: log.state.name, at: log.timestamp });
      }
    })().catch(() => undefined);
    execution.done = run.result.then(
      (output) => {
        execution.status = output === null && execution.status === 'RUNNING' ? 'ABORTED' : execution.status === 'RUNNING' ? 'SUCCEEDED' : execution.status;
        execution.output = output;
      },
      (error: Error) => {
        execution.status = 'FAILED';
        execution.error = error.message;
        console.error(`[step-functions] execution ${name} failed: ${error.message}`);
      },
    ).finally(async () => {
      execution.stopDate = new Date();
      await followStates;
    });
    executions.set(name, execution);
    // A long `npm start` keeps only recent finished executions (a name can then be started again).
    if (executions.size > 1000) {
      const hourAgo = Date.now() - 3600_000;
      for (const [key, e] of executions) if (e.stopDate && e.stopDate.getTime() < hourAgo) executions.delete(key);
    }
    return execution;
  };

  const find = (arn: string | undefined) => {
    const execution = [...executions.values()].find((e) => e.executionArn === arn);
    if (!execution) throw new ApiError('ExecutionDoesNotExist', `No execution ${arn}`);
    return execution;
  };

  const operations: Record<string, (body: Record<string, string | undefined>) => unknown> = {
    StartExecution: async (body) => {
      const e = await start(body);
      return { executionArn: e.executionArn, startDate: e.startDate.getTime() / 1000 };
    },
    DescribeExecution: (body) => {
      const e = find(body.executionArn);
      return {
        executionArn: e.executionArn,
        stateMachineArn: LOCAL_STATE_MACHINE_ARN,
        name: e.name,
        status: e.status,
        startDate: e.startDate.getTime() / 1000,
        ...(e.stopDate ? { stopDate: e.stopDate.getTime() / 1000 } : {}),
        input: e.input,
        ...(e.output !== undefined ? { output: JSON.stringify(e.output) } : {}),
        ...(e.error ? { error: e.error } : {}),
      };
    },
    StopExecution: (body) => {
      const e = find(body.executionArn);
      if (e.status === 'RUNNING') {
        e.status = 'ABORTED';
        e.abort();
      }
      return { stopDate: Date.now() / 1000 };
    },
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(body));
      };
      try {
        const handler = operations[operation];
        if (!handler) throw new ApiError('UnknownOperationException', `Operation ${operation} is not supported locally`);
        reply(200, await handler(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')));
      } catch (error) {
        if (error instanceof ApiError) reply(400, { __type: error.type, message: error.message });
        else reply(500, { __type: 'InternalFailure', message: (error as Error).message });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    stateMachineArn: LOCAL_STATE_MACHINE_ARN,
    executions,
    overrideWaits(overrides) {
      waitOverrides = overrides;
    },
    async stop() {
      for (const e of executions.values()) {
        if (e.status === 'RUNNING') {
          e.status = 'ABORTED';
          e.abort();
        }
      }
      await Promise.allSettled([...executions.values()].map((e) => e.done));
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
