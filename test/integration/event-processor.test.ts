import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOutbox } from '#shared/adapters/outbox';
import { createCaseStore } from '#shared/data/case-store';
import { createIdentityStore } from '#shared/data/identity-store';
import { newReportedCase, type Case, type CaseEvent } from '#shared/domain/cases/model';
import { createTestTable } from '../support/table.ts';

/**
 * The event processor's handler on a REAL stream batch read from DynamoDB Local, delivered twice (as
 * Lambda may): each effect happens once. Step Functions has no local engine here, so StartExecution is
 * mocked (aws-sdk-client-mock) and counted; SMS and topic messages go to the outbox on the same table.
 */
let table: Awaited<ReturnType<typeof createTestTable>>;
const sfn = mockClient(SFNClient);
const CITIZEN_PHONE = '+8613900005678';
let handler: (event: DynamoDBStreamEvent) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;

beforeAll(async () => {
  table = await createTestTable();
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    MESSAGE_TRANSPORT: 'outbox',
    ESCALATION_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:escalation',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  ({ handler } = await import('#functions/events/process-stream'));
});
afterAll(async () => table?.drop());
beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:escalation:x', startDate: new Date() });
});

/** Every record the table's stream holds from `after` on (the table is this file's own). */
async function readStream(): Promise<_Record[]> {
  const options = { endpoint: table.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const { Table } = await new DynamoDBClient(options).send(new DescribeTableCommand({ TableName: table.tableName }));
  const streams = new DynamoDBStreamsClient(options);
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: Table!.LatestStreamArn! }));
  const records: _Record[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: Table!.LatestStreamArn!, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    for (let empty = 0; iterator && empty < 2; ) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(page.Records ?? []));
      empty = page.Records?.length ? 0 : empty + 1;
      iterator = page.NextShardIterator;
    }
  }
  return records;
}

/** A citizen's case, reported, filed and dispatched with a deadline, written as the lifecycle writes it. */
async function dispatchedCase(): Promise<Case> {
  const store = createCaseStore(table.db);
  const users = createIdentityStore(table.db);
  const citizenId = randomUUID();
  await users.createUser({ id: citizenId, phone: CITIZEN_PHONE, displayName: '市民5678', roles: ['citizen'], status: 'active', createdAt: new Date().toISOString() });
  const at = new Date();
  const { case: reported, event } = newReportedCase({ id: randomUUID(), channel: 'app', description: '路灯不亮', reporterId: citizenId }, at, { id: citizenId, role: 'citizen', displayName: '市民5678' });
  await store.createCase({ case: reported, event, counters: [] });
  const step = async (current: Case, changes: Partial<Case>, e: Pick<CaseEvent, 'action' | 'toStatus'>) => {
    const next: Case = { ...current, ...changes, status: e.toStatus, version: current.version + 1, eventCount: current.eventCount + 1 };
    const actor = { id: 'agent-1', role: 'agent' as const, displayName: '坐席员' };
    expect(await store.applyTransition({ expectedVersion: current.version, next, counters: [], event: { caseId: current.id, seq: next.eventCount, at: at.toISOString(), fromStatus: current.status, actor, internal: true, ...e } })).toBe(true);
    return next;
  };
  const filed = await step(reported, { caseNumber: '2026-000042', categoryCode: 'C0101' }, { action: 'file', toStatus: 'filed' });
  const dueAt = new Date(at.getTime() + 7 * 3600_000).toISOString();
  return step(filed, { dueAt, firstDispatchedAt: at.toISOString(), timerSeq: 3, assignment: { departmentId: 'yanfeng-street-brigade', departmentName: '雁峰街道城管大队' } }, { action: 'dispatch', toStatus: 'dispatched' });
}

describe('the event processor under stream redelivery', () => {
  it('processes the same batch twice with one SMS, one execution and one topic message per event', async () => {
    const c = await dispatchedCase();
    const records = await readStream();
    const timelineRecords = records.filter((r) => r.dynamodb?.NewImage?.__edb_e__?.S === 'caseEvent');
    expect(timelineRecords).toHaveLength(3); // report, file, dispatch (the batch also holds the case, user… items)
    const batch = { Records: records } as unknown as DynamoDBStreamEvent;

    expect(await handler(batch)).toEqual({ batchItemFailures: [] });
    expect(await handler(batch)).toEqual({ batchItemFailures: [] });

    // One execution, named after the case and the dispatch's seq, with the timer's reference as input.
    const starts = sfn.commandCalls(StartExecutionCommand);
    expect(starts).toHaveLength(1);
    expect(starts[0]!.args[0].input).toMatchObject({ name: `${c.id}-3`, stateMachineArn: process.env.ESCALATION_STATE_MACHINE_ARN });
    expect(JSON.parse(starts[0]!.args[0].input.input!)).toEqual({ caseId: c.id, timerSeq: 3 });

    const { items } = await createOutbox(table.db).list({ limit: 100 });
    // One SMS: the citizen's "filed" feedback (a report or a dispatch tells the citizen nothing).
    const sms = items.filter((m) => m.channel === 'sms');
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ destination: CITIZEN_PHONE, body: expect.stringContaining('已受理立案，案件编号【2026】字第【42】号') });
    // One topic message per timeline event, with a stable id and no phone number.
    const topic = items.filter((m) => m.channel === 'topic').map((m) => JSON.parse(m.body));
    expect(topic.map((m) => m.id).sort()).toEqual([`${c.id}.1`, `${c.id}.2`, `${c.id}.3`]);
    expect(JSON.stringify(topic)).not.toContain(CITIZEN_PHONE);
  });

  it('reports the failing record so the batch resumes there, and does the failed effect on the retry', async () => {
    const c = await dispatchedCase();
    const records = (await readStream()).filter((r) => r.dynamodb?.NewImage?.caseId?.S === c.id && r.dynamodb?.NewImage?.__edb_e__?.S === 'caseEvent');
    sfn.reset();
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const dispatchRecord = records.find((r) => r.dynamodb?.NewImage?.action?.S === 'dispatch')!;
    const first = await handler({ Records: records } as unknown as DynamoDBStreamEvent);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: dispatchRecord.dynamodb!.SequenceNumber }]);

    sfn.reset();
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    expect(await handler({ Records: records.slice(records.indexOf(dispatchRecord)) } as unknown as DynamoDBStreamEvent)).toEqual({ batchItemFailures: [] });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });
});
