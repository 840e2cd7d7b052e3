import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseStore } from '#shared/data/case-store';
import { photoModel } from '#shared/data/entities/photo';
import { createIdentityStore } from '#shared/data/identity-store';
import { send, write } from '#shared/data/operations';
import { createPhotoStore } from '#shared/data/photo-store';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import { createStatsReader } from '#shared/data/stats-store';
import { getCaseDetail, reportCase, transition, type CaseDeps } from '#shared/domain/cases/use-cases';
import type { Principal } from '#shared/domain/identity/model';
import type { PhotoEvidence } from '#shared/domain/photos/evidence';
import type { PhotoKind } from '#shared/domain/photos/model';
import type { Role } from '#shared/domain/roles';
import { getDepartmentStats, getStaffStats, type StatsDeps } from '#shared/domain/stats/use-cases';
import { loadDemoCity } from '#infra/local/seed';
import { createTestTable } from '../support/table.ts';

/**
 * 照片存疑 per handler and per department: the event processor's handler, on the REAL stream of this
 * file's own table in DynamoDB Local, counts each completion's flagged after photos once — the same
 * batch delivered twice counts nothing more. Step Functions has no local engine here, so the deadline
 * timers' StartExecution is mocked (aws-sdk-client-mock); SMS and topic messages go to the outbox.
 */
let table: Awaited<ReturnType<typeof createTestTable>>;
let cases: CaseDeps;
let stats: StatsDeps;
let handler: (event: DynamoDBStreamEvent) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;
const sfn = mockClient(SFNClient);
let clock = 0;
const at = (local: string) => (clock = Date.parse(`2026-11-24T${local}:00+08:00`));
const DAY = { from: '2026-11-24', to: '2026-11-24' };

const YANFENG = 'yanfeng-street-brigade';
const DONGFENG = 'dongfeng-street-brigade';
const person = (name: string, roles: Role[], departmentId?: string): Principal => ({ userId: `${name}-${randomUUID()}`, roles, displayName: name, ...(departmentId ? { departmentId } : {}) });
const agent = person('坐席员', ['agent'], 'city-bureau');
const h1 = person('雁峰处置员', ['handler'], YANFENG);
const h2 = person('东风处置员', ['handler'], DONGFENG);
const dongfengDispatcher = person('东风派遣员', ['dispatcher'], DONGFENG);
const cityDispatcher = person('市局派遣员', ['dispatcher'], 'city-bureau');
const citizen: Principal = { userId: `citizen-${randomUUID()}`, roles: ['citizen'], displayName: '市民' };
const PLACE = { lat: 26.879, lng: 112.613 };

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
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:escalation:x', startDate: new Date() });
  const reference = createReferenceStore(table.db);
  await reference.importAll(loadDemoCity());
  const users = createIdentityStore(table.db);
  let n = 0;
  for (const p of [agent, h1, h2, dongfengDispatcher, cityDispatcher, citizen]) {
    await users.createUser({ id: p.userId, phone: `+861360000${String(++n).padStart(4, '0')}`, displayName: p.displayName, roles: p.roles, departmentId: p.departmentId, status: 'active', createdAt: new Date().toISOString() });
  }
  const cache = createReferenceCache(reference);
  cases = { store: createCaseStore(table.db), reference: cache, users, photos: { store: createPhotoStore(table.db) }, now: () => new Date(clock), newId: () => randomUUID() };
  stats = { readDays: createStatsReader(table.db), reference: cache, staffWithRole: (role) => users.listAllWithRole(role), now: () => new Date(clock) };
  ({ handler } = await import('#functions/events/process-stream'));
});
afterAll(async () => table?.drop());

/** A processed photo record with the evidence the upload processor would have kept. */
async function photo(owner: Principal, kind: PhotoKind, evidence: PhotoEvidence): Promise<string> {
  const photoKey = `uploads/${kind}/${randomUUID()}.jpg`;
  await send(table.db, write.put(table.db, photoModel, { photoKey, ownerId: owner.userId, kind, contentType: 'image/jpeg', declaredSize: 1000, status: 'ready', width: 10, height: 10, size: 1000, createdAt: new Date(clock).toISOString(), ...evidence }, { create: true }));
  return photoKey;
}

/** Every record of this table's stream. */
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

const act = (who: Principal, id: string, input: Parameters<typeof transition>[3]) => transition(cases, who, id, input);
const far = { lat: 26.888, lng: 112.613 }; // ≈ 1 km north of the case

let caseA = '';
let caseB = '';
let beforeA = '';

describe('照片存疑 counted per handler and per department, from the event processor', () => {
  it('counts each completion\'s flagged after photos for its handler and department, once however often the stream is delivered', async () => {
    // Case A: a citizen's report with a before photo, to 雁峰街道 and its handler at 09:30.
    at('09:00');
    beforeA = await photo(citizen, 'before', { takenAt: '2026-11-24T00:55:00.000Z', takenAtSource: 'exif', takenLocation: PLACE, takenLocationSource: 'exif', phash: 'f0e1d2c3b4a59687' });
    caseA = (await reportCase(cases, citizen, { description: '占道堆放', location: PLACE, photoKeys: [beforeA] })).id;
    at('09:10');
    await act(agent, caseA, { action: 'file', categoryCode: 'E0503' });
    at('09:30');
    await act(agent, caseA, { action: 'dispatch', departmentId: YANFENG, assigneeId: h1.userId });
    // Completed at 10:30 with two after photos: one taken at 09:00 (before the dispatch) ≈ 1 km away —
    // two flags, one photo; one taken at 10:20 on the spot — no flag.
    at('10:30');
    const early = await photo(h1, 'after', { takenAt: '2026-11-24T01:00:00.000Z', takenAtSource: 'exif', takenLocation: far, takenLocationSource: 'exif', phash: '0123456789abcdef' });
    const fine = await photo(h1, 'after', { takenAt: '2026-11-24T02:20:00.000Z', takenAtSource: 'app', takenLocation: PLACE, takenLocationSource: 'app', phash: 'fedcba9876543210' });
    await act(h1, caseA, { action: 'complete', photoKeys: [early, fine] });

    // Case B: to 东风街道's handler, completed with a copy of case A's before photo and no time — reused, no-time.
    at('11:00');
    caseB = (await reportCase(cases, citizen, { description: '沿街晾挂', location: PLACE })).id;
    await act(agent, caseB, { action: 'file', categoryCode: 'E0503' });
    at('11:10');
    await act(agent, caseB, { action: 'dispatch', departmentId: DONGFENG, assigneeId: h2.userId });
    at('11:40');
    const copy = await photo(h2, 'after', { phash: 'f0e1d2c3b4a59686', similar: [{ photoKey: beforeA, distance: 1 }] });
    await act(h2, caseB, { action: 'complete', photoKeys: [copy] });

    const batch = { Records: await readStream() } as unknown as DynamoDBStreamEvent;
    expect(await handler(batch)).toEqual({ batchItemFailures: [] });
    // Delivered again (Lambda may): nothing is counted twice.
    expect(await handler(batch)).toEqual({ batchItemFailures: [] });

    clock = Date.parse('2026-11-25T12:00:00+08:00');
    const handlers = Object.fromEntries((await getStaffStats(stats, { ...DAY, role: 'handler' })).items.map((i) => [i.userId, i as typeof i & { photoFlags?: unknown }]));
    expect(handlers[h1.userId]!.photoFlags).toEqual({ afterPhotos: 2, flagged: 1, reused: 0, farFromCase: 1, takenBeforeDispatch: 1, noTime: 0 });
    expect(handlers[h2.userId]!.photoFlags).toEqual({ afterPhotos: 1, flagged: 1, reused: 1, farFromCase: 0, takenBeforeDispatch: 0, noTime: 1 });

    const departments = Object.fromEntries((await getDepartmentStats(stats, DAY)).items.map((d) => [d.departmentId, d]));
    expect(departments[YANFENG]!.photoFlags).toEqual({ afterPhotos: 2, flagged: 1, reused: 0, farFromCase: 1, takenBeforeDispatch: 1, noTime: 0 });
    expect(departments[DONGFENG]!.photoFlags).toEqual({ afterPhotos: 1, flagged: 1, reused: 1, farFromCase: 0, takenBeforeDispatch: 0, noTime: 1 });
    expect(departments['tianmashan-street-brigade']!.photoFlags.afterPhotos).toBe(0);
    // Shown, not weighed: the score is what the other figures make it (both handled one case, on time).
    expect(departments[YANFENG]!.score).toBe(departments[DONGFENG]!.score);
  });
});

describe('reusedFrom across departments (docs/decisions.md)', () => {
  const detail = (who: Principal) => getCaseDetail({ ...cases, photoViewer: { presignView: async (key) => `http://photos.invalid/${key}` } }, who, caseB);
  const reused = async (who: Principal) => (await detail(who)).photoChecks!.find((c) => c.flags.includes('reused'))!.reusedFrom;

  it('names the other case to a viewer who may read it (an agent; a dispatcher above it)', async () => {
    const numberA = (await cases.store.getCase(caseA))!.caseNumber;
    expect(numberA).toBeDefined();
    expect(await reused(agent)).toEqual({ caseId: caseA, caseNumber: numberA, kind: 'before', hammingDistance: 1 });
    expect(await reused(cityDispatcher)).toEqual({ caseId: caseA, caseNumber: numberA, kind: 'before', hammingDistance: 1 });
  });

  it('keeps the flag and the distance but not the case for a viewer outside its scope (another brigade\'s dispatcher, the handler)', async () => {
    for (const who of [dongfengDispatcher, h2]) {
      const check = (await detail(who)).photoChecks!.find((c) => c.kind === 'after')!;
      expect(check.flags).toEqual(['reused', 'no-time']);
      expect(check.reusedFrom).toEqual({ kind: 'before', hammingDistance: 1, outsideScope: true });
      expect(JSON.stringify(check)).not.toContain(caseA);
    }
  });
});
