import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDutyStore } from '#shared/data/duty-store';
import { dutySpanModel, trackPointModel } from '#shared/data/entities/duty';
import { primaryKey } from '#shared/data/model';
import { createIdentityStore } from '#shared/data/identity-store';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import { createStatsReader } from '#shared/data/stats-store';
import { staffScope } from '#shared/domain/cases/counters';
import type { Role } from '#shared/domain/roles';
import { getStaffStats } from '#shared/domain/stats/use-cases';
import { localDayBounds } from '#shared/domain/duty/track';
import { changeDuty, exportDutyData, getMyDuty, getMyTrack, getStaffTrack, listOnDuty, recordTrackPoints, type DutyDeps } from '#shared/domain/duty/use-cases';
import { ForbiddenError, ValidationError } from '#shared/domain/errors';
import type { Principal, User } from '#shared/domain/identity/model';
import { loadDemoCity } from '#infra/local/seed';
import { createTestTable } from '../support/table.ts';

/**
 * 考勤 · 轨迹 against DynamoDB Local: points count only on duty at their own time (a queued 上班 carries
 * its time), old and future points are dropped, a dispatcher reads its subtree only, spans and points
 * carry the TTL, a day's track is two Queries, and the minutes on duty land on both sides of midnight.
 */
let table: Awaited<ReturnType<typeof createTestTable>>;
let deps: DutyDeps & { clock: Date };
let queries = 0;
const users = new Map<string, User>();

// A clock two hours after the coming local midnight (the real clock decides the TTL, so stay near it).
const MIDNIGHT = localDayBounds(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)).end;
const NOW = new Date(MIDNIGHT.getTime() + 2 * 3600_000);
const minutesBefore = (m: number, from = NOW) => new Date(from.getTime() - m * 60_000).toISOString();
const INSIDE = { lat: 26.879, lng: 112.613 }; // 当家村社区, a grid of yanfeng-street-brigade
const OUTSIDE = { lat: 27.5, lng: 112.613 }; // in no grid

async function person(roles: User['roles'], departmentId: string, extra: Partial<User> = {}): Promise<Principal> {
  const user: User = { id: randomUUID(), phone: `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, displayName: `人员${users.size}`, roles, departmentId, status: 'active', createdAt: new Date().toISOString(), ...extra };
  await createIdentityStore(table.db).createUser(user);
  users.set(user.id, user);
  return { userId: user.id, roles, departmentId, displayName: user.displayName };
}

beforeAll(async () => {
  table = await createTestTable();
  const reference = createReferenceStore(table.db);
  await reference.importAll(loadDemoCity());
  const cache = createReferenceCache(reference);
  const real = table.db.client;
  const counting = {
    send: (command: Parameters<typeof real.send>[0], ...rest: unknown[]) => {
      if (command instanceof QueryCommand) queries++;
      return (real.send as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
    },
  } as unknown as typeof real;
  const clock = new Date(NOW);
  deps = {
    clock,
    store: createDutyStore({ ...table.db, client: counting }, { retentionDays: 90 }),
    users: createIdentityStore(table.db),
    departments: () => cache.departments(),
    grids: () => cache.grids(),
    now: () => new Date(clock),
  };
});
afterAll(async () => table.drop());

const points = (...at: string[]) => ({ points: at.map((t) => ({ ...INSIDE, accuracyMetres: 8, at: t })) });

describe('on duty and track points (考勤 · 轨迹)', () => {
  it('drops points while off duty; a queued 上班 with a past time counts the points after it', async () => {
    const handler = await person(['handler'], 'yanfeng-street-brigade');
    expect(await recordTrackPoints(deps, handler, points(minutesBefore(30), minutesBefore(20)))).toEqual({ accepted: 0, dropped: 2 });
    // The phone was offline: its 上班 of 25 minutes ago arrives now, then the queued points.
    const started = await changeDuty(deps, handler, { action: 'start', location: INSIDE, at: minutesBefore(25) });
    expect(started.duty).toMatchObject({ onDuty: true, since: minutesBefore(25) });
    expect(await recordTrackPoints(deps, handler, points(minutesBefore(30), minutesBefore(20), minutesBefore(10)))).toEqual({ accepted: 2, dropped: 1 });
    expect((await getMyDuty(deps, handler)).duty).toEqual({ onDuty: true, since: minutesBefore(25), lastPoint: { ...INSIDE, at: minutesBefore(10) } });
    // An older point does not move the last point back.
    await recordTrackPoints(deps, handler, points(minutesBefore(15)));
    expect((await getMyDuty(deps, handler)).duty.lastPoint?.at).toBe(minutesBefore(10));
  });

  it('drops points older than 24 h or more than 5 minutes ahead, and refuses such a time for 上班 (400)', async () => {
    const supervisor = await person(['supervisor'], 'city-bureau', { gridIds: ['yanfeng-dangjiacun'] });
    await expect(changeDuty(deps, supervisor, { action: 'start', location: INSIDE, at: minutesBefore(24 * 60 + 1) })).rejects.toBeInstanceOf(ValidationError);
    await expect(changeDuty(deps, supervisor, { action: 'start', location: INSIDE, at: minutesBefore(-6) })).rejects.toBeInstanceOf(ValidationError);
    await changeDuty(deps, supervisor, { action: 'start', location: INSIDE, at: minutesBefore(23 * 60) });
    expect(await recordTrackPoints(deps, supervisor, points(minutesBefore(24 * 60 + 1), minutesBefore(-6), minutesBefore(-4), minutesBefore(60)))).toEqual({ accepted: 2, dropped: 2 });
  });

  it('counts a batch sent after a later 下班 inside the span only; starting twice and ending twice change nothing', async () => {
    const handler = await person(['handler'], 'yanfeng-street-brigade');
    await changeDuty(deps, handler, { action: 'start', location: INSIDE, at: minutesBefore(60) });
    const again = await changeDuty(deps, handler, { action: 'start', location: OUTSIDE, at: minutesBefore(30) });
    expect(again.duty).toMatchObject({ onDuty: true, since: minutesBefore(60) });
    expect((await changeDuty(deps, handler, { action: 'end', location: INSIDE, at: minutesBefore(20) })).duty).toEqual({ onDuty: false });
    expect((await changeDuty(deps, handler, { action: 'end', location: INSIDE })).duty).toEqual({ onDuty: false });
    expect(await recordTrackPoints(deps, handler, points(minutesBefore(50), minutesBefore(25), minutesBefore(10)))).toEqual({ accepted: 2, dropped: 1 });
    // A start reaching back into the ended span begins at its end.
    const restarted = await changeDuty(deps, handler, { action: 'start', location: INSIDE, at: minutesBefore(40) });
    expect(Date.parse(restarted.duty.since!)).toBe(Date.parse(minutesBefore(20)) + 1);
  });

  it('stores spans and points with the table\'s TTL attribute (their time + TRACK_RETENTION_DAYS)', async () => {
    const handler = await person(['handler'], 'yanfeng-street-brigade');
    await changeDuty(deps, handler, { action: 'start', location: INSIDE, at: minutesBefore(30) });
    await recordTrackPoints(deps, handler, points(minutesBefore(10)));
    await changeDuty(deps, handler, { action: 'end', location: INSIDE, at: minutesBefore(5) });
    const raw = async (key: Record<string, string>) => (await table.client.send(new GetCommand({ TableName: table.tableName, Key: key }))).Item!;
    const span = await raw(primaryKey(dutySpanModel, { userId: handler.userId, start: minutesBefore(30) }));
    expect(span.expiresAt).toBe(Math.floor(Date.parse(minutesBefore(5)) / 1000) + 90 * 86_400);
    const at = minutesBefore(10);
    const point = await raw(primaryKey(trackPointModel, { userId: handler.userId, day: new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 10), at }));
    expect(point.expiresAt).toBe(Math.floor(Date.parse(at) / 1000) + 90 * 86_400);
    expect(point).toMatchObject({ lat: INSIDE.lat, lng: INSIDE.lng, accuracyMetres: 8 });
  });

  it('reads a day\'s track in two Queries, with distance, minutes on duty and minutes outside the area', async () => {
    const handler = await person(['handler'], 'yanfeng-street-brigade');
    await changeDuty(deps, handler, { action: 'start', location: INSIDE, at: minutesBefore(60) });
    await recordTrackPoints(deps, handler, { points: [
      { ...OUTSIDE, at: minutesBefore(50) },
      { ...INSIDE, at: minutesBefore(48) },
      { lat: INSIDE.lat + 0.001, lng: INSIDE.lng, at: minutesBefore(30) },
    ] });
    await changeDuty(deps, handler, { action: 'end', location: INSIDE, at: minutesBefore(20) });
    const today = new Date(NOW.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const before = queries;
    const track = await getMyTrack(deps, handler, { date: today });
    expect(queries - before).toBe(2);
    expect(track.date).toBe(today);
    expect(track.points).toHaveLength(3);
    expect(track.duty).toEqual([{ start: minutesBefore(60), end: minutesBefore(20) }]);
    expect(track.minutesOnDuty).toBe(40);
    expect(track.minutesOutsideArea).toBe(2); // 50 → 48 min before, after the point outside
    expect(track.distanceMetres).toBeGreaterThan(60_000); // ~69 km out and back, plus ~111 m
    const cache = createReferenceCache(createReferenceStore(table.db));
    const stats = { readDays: createStatsReader(table.db), reference: cache, staffWithRole: (role: Role) => createIdentityStore(table.db).listAllWithRole(role), now: () => NOW };
    expect((await getStaffStats(stats, { role: 'handler', from: today, to: today })).items.find((i) => i.userId === handler.userId)).toEqual(expect.objectContaining({ minutesOnDuty: 40 }));
  });

  it('adds the minutes on duty to the person\'s daily counters, split at local midnight', async () => {
    const supervisor = await person(['supervisor'], 'city-bureau');
    await changeDuty(deps, supervisor, { action: 'start', location: INSIDE, at: minutesBefore(30, MIDNIGHT) });
    await changeDuty(deps, supervisor, { action: 'end', location: INSIDE, at: minutesBefore(-45, MIDNIGHT) });
    const day = (t: Date) => new Date(t.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const before = day(new Date(MIDNIGHT.getTime() - 1));
    const after = day(MIDNIGHT);
    const days = await createStatsReader(table.db)(staffScope(supervisor.userId), before, after);
    expect(days.map((d) => [d.day, d.minutesOnDuty])).toEqual([[before, 30], [after, 45]]);
    // Position evaluation reads the counters (so a range adds up after the spans expire).
    const cache = createReferenceCache(createReferenceStore(table.db));
    const stats = { readDays: createStatsReader(table.db), reference: cache, staffWithRole: (role: Role) => createIdentityStore(table.db).listAllWithRole(role), now: () => NOW };
    const evaluated = await getStaffStats(stats, { role: 'supervisor', from: before, to: after });
    expect(evaluated.items.find((i) => i.userId === supervisor.userId)).toMatchObject({ minutesOnDuty: 75 });
    expect((await getStaffStats(stats, { role: 'supervisor', from: after, to: after })).items.find((i) => i.userId === supervisor.userId)).toMatchObject({ minutesOnDuty: 45 });
  });

  it('lists who is on duty to the command center; a dispatcher sees its subtree only (403 outside)', async () => {
    const inBrigade = await person(['handler'], 'yanfeng-street-brigade');
    const elsewhere = await person(['handler'], 'dongfeng-street-brigade');
    for (const p of [inBrigade, elsewhere]) await changeDuty(deps, p, { action: 'start', location: INSIDE, at: minutesBefore(5) });
    const agent = await person(['agent'], 'city-bureau');
    const all = (await listOnDuty(deps, agent, {})).items.map((i) => i.id);
    expect(all).toEqual(expect.arrayContaining([inBrigade.userId, elsewhere.userId]));
    const district = await person(['dispatcher'], 'yanfeng-district-bureau');
    const mine = (await listOnDuty(deps, district, {})).items;
    expect(mine.map((i) => i.id)).toContain(inBrigade.userId);
    expect(mine.map((i) => i.id)).not.toContain(elsewhere.userId);
    expect(mine.find((i) => i.id === inBrigade.userId)).toMatchObject({ onDuty: true, departmentId: 'yanfeng-street-brigade', since: minutesBefore(5), lastPoint: { ...INSIDE, at: minutesBefore(5) } });
    expect((await listOnDuty(deps, agent, { departmentId: 'dongfeng-street-brigade' })).items.map((i) => i.id)).toContain(elsewhere.userId);
    expect((await listOnDuty(deps, agent, { departmentId: 'dongfeng-street-brigade' })).items.map((i) => i.id)).not.toContain(inBrigade.userId);
    await expect(listOnDuty(deps, district, { departmentId: 'dongfeng-street-brigade' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getStaffTrack(deps, district, elsewhere.userId, {})).rejects.toBeInstanceOf(ForbiddenError);
    expect((await getStaffTrack(deps, district, inBrigade.userId, {})).duty).toHaveLength(1);
    // Ended: off the list.
    await changeDuty(deps, inBrigade, { action: 'end', location: INSIDE });
    expect((await listOnDuty(deps, agent, {})).items.map((i) => i.id)).not.toContain(inBrigade.userId);
  });

  it('exports a person\'s own spans and points', async () => {
    const handler = await person(['handler'], 'yanfeng-street-brigade');
    await changeDuty(deps, handler, { action: 'start', location: INSIDE, at: minutesBefore(30, MIDNIGHT) });
    await recordTrackPoints(deps, handler, points(minutesBefore(20, MIDNIGHT), minutesBefore(-20, MIDNIGHT)));
    const exported = await exportDutyData(deps.store, handler.userId, NOW);
    expect(exported.dutySpans).toEqual([{ start: minutesBefore(30, MIDNIGHT), startLocation: INSIDE }]);
    expect(exported.trackPoints.map((p) => p.at)).toEqual([minutesBefore(20, MIDNIGHT), minutesBefore(-20, MIDNIGHT)]);
  });
});
