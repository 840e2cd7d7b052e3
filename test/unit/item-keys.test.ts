import { describe, expect, it } from 'vitest';
import { caseEventModel, caseFollowerModel, caseModel, caseSequenceModel, dailyStatsModel, taskModel, type CaseItem } from '#shared/data/entities/cases';
import { rateCounterModel, smsCodeModel, userModel, type UserItem } from '#shared/data/entities/identity';
import { outboxMessageModel } from '#shared/data/entities/outbox-message';
import { photoModel } from '#shared/data/entities/photo';
import { calendarYearModel, departmentModel } from '#shared/data/entities/reference';
import { fromStored, keysOf, primaryKey, toStored } from '#shared/data/model';
import { Expr, query, transact, write, type Table } from '#shared/data/operations';

/**
 * The stored key format, pinned. Every expected string below is what ElectroDB 3.9.3 wrote for the same
 * item (its `params()`, recorded before the table's key layer replaced it): deployed tables hold items
 * with exactly these keys, so a change here would lose them. Lower-cased, `$citygrid#attr_value`, sort
 * keys `$entity_1#…` or `$collection#entity_1#…`, sparse indexes only when they apply.
 */
const at = '2026-05-01T00:00:00Z';
const aCase: CaseItem = {
  caseId: 'Case-ABC', caseNumber: '2026-0001', status: 'reported', channel: 'app', description: 'x', reportedMonth: '2026-05', reporterKey: 'U1',
  assignedDepartmentId: 'D-1', dispatchPath: [], priority: 'urgent', escalationLevel: 0, reworkCount: 0, beforePhotoKeys: [], afterPhotoKeys: [],
  createdAt: at, updatedAt: 'x', version: 1, eventCount: 1, geohash: 'wx4g0', geoArea: 'wx4',
};

describe('item keys (the format deployed tables hold)', () => {
  it('keys a case on the table and on all seven indexes', () => {
    expect(keysOf(caseModel, aCase)).toEqual({
      pk: '$citygrid#caseid_case-abc',
      sk: '$casedetail#case_1',
      gsi1pk: '$citygrid#reporterkey_u1',
      gsi1sk: '$case_1#createdat_2026-05-01t00:00:00z#caseid_case-abc',
      gsi2pk: '$citygrid#status_reported',
      gsi2sk: '$case_1#createdat_2026-05-01t00:00:00z#caseid_case-abc',
      gsi3pk: '$citygrid#assigneddepartmentid_d-1',
      gsi3sk: '$case_1#status_reported#createdat_2026-05-01t00:00:00z#caseid_case-abc',
      gsi4pk: '$citygrid#casenumber_2026-0001',
      gsi4sk: '$case_1',
      gsi5pk: '$citygrid#geoarea_wx4',
      gsi5sk: '$case_1#geohash_wx4g0#caseid_case-abc',
      gsi6pk: '$citygrid#reportedmonth_2026-05',
      gsi6sk: '$case_1#createdat_2026-05-01t00:00:00z#caseid_case-abc',
      gsi7pk: '$citygrid#status_reported',
      gsi7sk: '$case_1#createdat_2026-05-01t00:00:00z#caseid_case-abc',
      __edb_e__: 'case',
      __edb_v__: '1',
    });
  });

  it('keys a held case on the subtree queues of its level-1 and level-2 departments, sorted as gsi3', () => {
    expect(keysOf(caseModel, { ...aCase, holderLevel1: 'City-Bureau', holderLevel2: 'D-0' })).toMatchObject({
      gsi8pk: '$citygrid#holderlevel1_city-bureau',
      gsi8sk: '$case_1#status_reported#createdat_2026-05-01t00:00:00z#caseid_case-abc',
      gsi9pk: '$citygrid#holderlevel2_d-0',
      gsi9sk: '$case_1#status_reported#createdat_2026-05-01t00:00:00z#caseid_case-abc',
    });
  });

  it('leaves a case off the sparse indexes it does not belong on', () => {
    const keys = keysOf(caseModel, { ...aCase, caseNumber: undefined, priority: 'normal', assignedDepartmentId: '-', holderLevel1: '-', holderLevel2: '-', geohash: '-', geoArea: '-' });
    expect(Object.keys(keys).sort()).toEqual(['__edb_e__', '__edb_v__', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi6pk', 'gsi6sk', 'pk', 'sk']);
  });

  it('keys the other entities as before', () => {
    expect(keysOf(caseEventModel, { caseId: 'Case-ABC', seq: 3, at: 'a', action: 'report', toStatus: 'reported', actor: { id: 'u', role: 'citizen', displayName: 'c' }, internal: false })).toMatchObject({
      pk: '$citygrid#caseid_case-abc',
      sk: '$casedetail#caseevent_1#seq_00003',
      __edb_e__: 'caseEvent',
    });
    const staff: UserItem = { id: 'U-1', phone: '+86', displayName: '张三', roles: ['admin'], departmentKey: 'D-1', status: 'active', createdAt: 'x' };
    expect(keysOf(userModel, staff)).toEqual({
      pk: '$citygrid#id_u-1', sk: '$user_1', gsi1pk: '$citygrid#departmentkey_d-1', gsi1sk: '$user_1#id_u-1', gsi4pk: '$citygrid', gsi4sk: '$user_1#displayname_张三#id_u-1', __edb_e__: 'user', __edb_v__: '1',
    });
    expect(Object.keys(keysOf(userModel, { ...staff, departmentKey: '-' }))).not.toContain('gsi4pk');
    expect(primaryKey(departmentModel, { id: 'D-1' })).toEqual({ pk: '$citygrid', sk: '$department_1#id_d-1' });
    expect(primaryKey(dailyStatsModel, { scope: 'city', day: '2026-05-01' })).toEqual({ pk: '$citygrid#scope_city', sk: '$dailystats_1#day_2026-05-01' });
    expect(primaryKey(caseSequenceModel, { year: 2026 })).toEqual({ pk: '$citygrid#year_2026', sk: '$casesequence_1' });
    expect(primaryKey(smsCodeModel, { phone: '+8613800000000', purpose: 'login' })).toEqual({ pk: '$citygrid#phone_+8613800000000#purpose_login', sk: '$smscode_1' });
    expect(primaryKey(rateCounterModel, { scope: 's', key: 'K', window: 5 })).toEqual({ pk: '$citygrid#scope_s#key_k#window_5', sk: '$ratecounter_1' });
    expect(primaryKey(caseFollowerModel, { caseId: 'C', followerKey: 'u#X' })).toEqual({ pk: '$citygrid#caseid_c', sk: '$casefollower_1#followerkey_u#x' });
    // A person's task: urgent (rank 0) before the others, then by due time.
    expect(keysOf(taskModel, { caseId: 'C', assigneeId: 'S', kind: 'verify-report', rank: 0, dueAt: 'd' })).toMatchObject({ pk: '$citygrid#caseid_c', sk: '$task_1', gsi4pk: '$citygrid#assigneeid_s', gsi4sk: '$task_1#rank_0#dueat_d#caseid_c' });
    expect(primaryKey(photoModel, { photoKey: 'uploads/A.jpg' })).toEqual({ pk: '$citygrid#photokey_uploads/a.jpg', sk: '$photo_1' });
    expect(primaryKey(outboxMessageModel, { id: 'M1' })).toEqual({ pk: '$citygrid', sk: '$outboxmessage_1#id_m1' });
    expect(primaryKey(calendarYearModel, { year: 2026 })).toEqual({ pk: '$citygrid', sk: '$calendaryear_1#year_2026' });
  });

  it('stores roles as a string set and reads them back as an array, without keys', () => {
    const staff: UserItem = { id: 'U-1', phone: '+86', displayName: '张三', roles: ['admin', 'leader'], departmentKey: 'D-1', status: 'active', createdAt: 'x' };
    const stored = toStored(userModel, staff);
    expect(stored.roles).toEqual(new Set(['admin', 'leader']));
    expect(fromStored(userModel, stored)).toEqual(staff);
  });

  it('writes an upsert with its key parts and entity, and a create only where nothing is stored', () => {
    const table = { name: 'T' } as Table;
    const update = write.update(table, dailyStatsModel, { scope: 'city', day: '2026-05-01' }, { add: { received: 1 } });
    expect(update).toEqual({
      Update: {
        TableName: 'T',
        Key: { pk: '$citygrid#scope_city', sk: '$dailystats_1#day_2026-05-01' },
        UpdateExpression: 'SET #scope = :v0, #day = :v1, #__edb_e__ = :v2, #__edb_v__ = :v3 ADD #received :v4',
        ExpressionAttributeNames: { '#scope': 'scope', '#day': 'day', '#__edb_e__': '__edb_e__', '#__edb_v__': '__edb_v__', '#received': 'received' },
        ExpressionAttributeValues: { ':v0': 'city', ':v1': '2026-05-01', ':v2': 'dailyStats', ':v3': '1', ':v4': 1 },
      },
    });
    const put = write.put(table, outboxMessageModel, { id: 'M1', channel: 'sms', destination: 'd', body: 'b', createdAt: 'c' }, { create: true, if: (x) => x.eq('body', 'b') });
    expect(put).toMatchObject({ Put: { ConditionExpression: '(attribute_not_exists(#pk) AND attribute_not_exists(#sk)) AND (#body = :v0)' } });
  });

  it('queries a range of sort keys the way ElectroDB did (nearness: cells between two geohashes)', async () => {
    const sent: unknown[] = [];
    const table = { name: 'T', client: { send: async (command: { input: unknown }) => (sent.push(command.input), { Items: [] }) } } as unknown as Table;
    await query(table, caseModel, 'byGeoCell', { geoArea: 'wx4' }, { between: [{ geohash: 'wx4g0' }, { geohash: 'wx4g9~' }] });
    await query(table, caseModel, 'byDepartment', { assignedDepartmentId: 'D-1', status: 'filed' }, { order: 'desc', limit: 5 });
    expect(sent[0]).toMatchObject({ IndexName: 'gsi5', KeyConditionExpression: '#gsi5pk = :v0 AND #gsi5sk BETWEEN :v1 AND :v2', ExpressionAttributeValues: { ':v0': '$citygrid#geoarea_wx4', ':v1': '$case_1#geohash_wx4g0', ':v2': '$case_1#geohash_wx4g9~' } });
    expect(sent[1]).toMatchObject({ IndexName: 'gsi3', KeyConditionExpression: '#gsi3pk = :v0 AND begins_with(#gsi3sk, :v1)', ExpressionAttributeValues: { ':v1': '$case_1#status_filed#createdat_' }, ScanIndexForward: false, Limit: 5 });
  });

  it('reports a failed condition of a named write even when another write of that name only conflicted', async () => {
    const cancelled = Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }, { Code: 'ConditionalCheckFailed' }] });
    const table = { name: 'T', client: { send: async () => Promise.reject(cancelled) } } as unknown as Table;
    const some = write.delete(table, photoModel, { photoKey: 'x' });
    expect(await transact(table, [['case', some], ['photo', some], ['photo', some]])).toEqual({ canceled: true, codes: { case: 'None', photo: 'ConditionalCheckFailed' } });
  });

  it('leaves undefined counters out of ADD and removes a string set emptied by an update', () => {
    const table = { name: 'T' } as Table;
    const { Update } = write.update(table, dailyStatsModel, { scope: 'city', day: '2026-05-01' }, { add: { received: 1, filed: undefined } }) as { Update: { UpdateExpression: string } };
    expect(Update.UpdateExpression).toBe('SET #scope = :v0, #day = :v1, #__edb_e__ = :v2, #__edb_v__ = :v3 ADD #received :v4');
    const emptied = write.update(table, userModel, { id: 'U-1' }, { set: { roles: [] } }) as { Update: { UpdateExpression: string } };
    expect(emptied.Update.UpdateExpression).toBe('SET #id = :v0, #__edb_e__ = :v1, #__edb_v__ = :v2 REMOVE #roles');
  });

  it('gives attributes that read alike once cleaned their own placeholders', () => {
    const x = new Expr();
    expect([x.name('a-b'), x.name('a_b'), x.name('a-b')]).toEqual(['#a_b', '#a_b_1', '#a_b']);
    expect(x.names).toEqual({ '#a_b': 'a-b', '#a_b_1': 'a_b' });
  });
});
