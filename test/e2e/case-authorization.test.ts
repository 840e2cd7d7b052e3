import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseStore } from '#shared/data/case-store';
import { createDocumentClient } from '#shared/data/client';
import type { Table } from '#shared/data/db';
import type { Case } from '#shared/domain/cases/model';
import type { Role } from '#shared/domain/roles';
import { loginAs } from '../support/auth.ts';
import { readyPhoto } from '../support/photos.ts';
import { startTestPlatform } from '../support/platform.ts';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let store: ReturnType<typeof createCaseStore>;
let db: Table;
const users = {} as Record<Role, { token: string; id: string }>;
let secondHandlerId: string;
const BRIGADE = 'yanfeng-street-brigade';
const ELSEWHERE = 'dongfeng-street-brigade';
const PHONES: Record<Exclude<Role, 'citizen'>, string> = {
  admin: '+8613800000001',
  agent: '+8613800000002',
  supervisor: '+8613800000003',
  dispatcher: '+8613800000006', // 雁峰街道城管大队
  handler: '+8613800000007', // 雁峰街道城管大队
  leader: '+8613800000008',
};

beforeAll(async () => {
  platform = await startTestPlatform();
  db = { client: createDocumentClient({ region: 'us-east-1', endpoint: platform.dynamoEndpoint }), name: platform.tableName };
  store = createCaseStore(db);
  const citizen = await loginAs(platform.url, '13912399999', 'register');
  users.citizen = { token: citizen.accessToken, id: citizen.user.id };
  for (const [role, phone] of Object.entries(PHONES)) {
    const session = await loginAs(platform.url, phone);
    users[role as Role] = { token: session.accessToken, id: session.user.id };
  }
  // A second handler of the brigade: re-dispatching to the current holder is refused as a repeat.
  const created = await platform.api('/v1/admin/staff', {
    method: 'POST',
    headers: { authorization: `Bearer ${users.admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ phone: '13700000055', displayName: '处置人员 二号', roles: ['handler'], departmentId: BRIGADE }),
  });
  secondHandlerId = created.json.user.id;
});
afterAll(async () => platform?.stop());

/**
 * A dispatched case. "own": reported by our citizen and held by our brigade's handler; "other":
 * reported by someone else and held by a brigade of another district.
 */
async function dispatchedCase(kind: 'own' | 'other'): Promise<string> {
  const at = new Date().toISOString();
  const id = randomUUID();
  const own = kind === 'own';
  const c: Case = {
    id,
    status: 'dispatched',
    channel: 'app',
    description: '矩阵测试案件',
    gridId: own ? 'yanfeng-dangjiacun' : 'dongfeng-dongfeng',
    gridName: 'g',
    categoryCode: 'E0503',
    categoryName: '沿街晾挂',
    caseNumber: '2026-009999',
    reporterId: own ? users.citizen.id : randomUUID(),
    assignment: own
      ? { departmentId: BRIGADE, departmentName: '雁峰街道城管大队', assigneeId: users.handler.id, assigneeName: '处置人员 赵磊' }
      : { departmentId: ELSEWHERE, departmentName: '东风街道城管中队' },
    dispatchPath: own ? ['city-bureau', 'yanfeng-district-bureau', BRIGADE] : ['city-bureau', 'zhuhui-district-bureau', ELSEWHERE],
    firstDispatchedAt: at,
    dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    escalationLevel: 0,
    reworkCount: 0,
    beforePhotoKeys: [],
    afterPhotoKeys: [],
    createdAt: at,
    updatedAt: at,
    version: 4,
    eventCount: 1,
  };
  await store.createCase({ case: c, event: { caseId: id, seq: 1, at, action: 'report', toStatus: 'reported', actor: { id: 'x', role: 'citizen', displayName: 'x' }, internal: false }, counters: [] });
  return id;
}

type Cell = [own: number, other: number];
const ROLES_ORDER = ['citizen', 'supervisor', 'agent', 'dispatcher', 'handler', 'leader', 'admin'] as const;
const all = (status: number): Cell => [status, status];

/**
 * The matrix: route × role → [status on an own object, status on another's]. Written out by hand from
 * the contract: route roles (403), visibility (404, never 403: no existence leak), then the lifecycle.
 */
const MATRIX: Record<string, Record<(typeof ROLES_ORDER)[number], Cell>> = {
  'POST /v1/cases': { citizen: all(201), supervisor: all(201), agent: all(403), dispatcher: all(403), handler: all(403), leader: all(403), admin: all(403) },
  'GET /v1/me/cases': { citizen: all(200), supervisor: all(200), agent: all(200), dispatcher: all(200), handler: all(200), leader: all(200), admin: all(200) },
  'GET /v1/cases': { citizen: all(403), supervisor: all(200), agent: all(200), dispatcher: [200, 403], handler: [200, 403], leader: all(200), admin: all(200) },
  'GET /v1/cases/{id}': { citizen: [200, 404], supervisor: all(200), agent: all(200), dispatcher: [200, 404], handler: [200, 404], leader: all(200), admin: all(200) },
  file: { citizen: all(403), supervisor: all(403), agent: all(409), dispatcher: all(403), handler: all(403), leader: all(403), admin: all(403) },
  reject: { citizen: all(403), supervisor: all(403), agent: all(409), dispatcher: all(403), handler: all(403), leader: all(403), admin: all(403) },
  dispatch: { citizen: all(403), supervisor: all(403), agent: all(200), dispatcher: [200, 404], handler: all(403), leader: all(403), admin: all(403) },
  return: { citizen: all(403), supervisor: all(403), agent: all(403), dispatcher: [200, 404], handler: [200, 404], leader: all(403), admin: all(403) },
  complete: { citizen: all(403), supervisor: all(403), agent: all(403), dispatcher: [200, 404], handler: [200, 404], leader: all(403), admin: all(403) },
  verify: { citizen: all(403), supervisor: all(409), agent: all(409), dispatcher: all(403), handler: all(403), leader: all(403), admin: all(403) },
  rating: { citizen: [409, 404], supervisor: all(409), agent: all(403), dispatcher: all(403), handler: all(403), leader: all(403), admin: all(403) },
};

const bodyFor = async (route: string, role: Role): Promise<unknown> => {
  switch (route) {
    case 'POST /v1/cases': return { description: '矩阵测试：人行道上有垃圾', location: { lat: 26.879, lng: 112.613 } };
    case 'file': return { categoryCode: 'E0503' };
    case 'reject': return { reason: '无效' };
    case 'dispatch': return role === 'dispatcher' ? { assigneeId: secondHandlerId } : { departmentId: BRIGADE, assigneeId: secondHandlerId };
    case 'return': return { reason: '不属本单位' };
    case 'complete': return { photoKeys: [await readyPhoto(db, users[role].id, 'after')] };
    case 'verify': return { approved: true };
    case 'rating': return { satisfied: true };
    default: return undefined;
  }
};

async function request(route: string, role: Role, kind: 'own' | 'other'): Promise<number> {
  const headers = { authorization: `Bearer ${users[role].token}`, 'content-type': 'application/json' };
  const body = await bodyFor(route, role);
  if (route === 'POST /v1/cases') return (await platform.api('/v1/cases', { method: 'POST', headers, body: JSON.stringify(body) })).status;
  if (route === 'GET /v1/me/cases') return (await platform.api('/v1/me/cases', { headers })).status;
  if (route === 'GET /v1/cases') return (await platform.api(kind === 'own' ? '/v1/cases?status=dispatched' : `/v1/cases?departmentId=${ELSEWHERE}`, { headers })).status;
  const id = await dispatchedCase(kind);
  if (route === 'GET /v1/cases/{id}') return (await platform.api(`/v1/cases/${id}`, { headers })).status;
  return (await platform.api(`/v1/cases/${id}/${route}`, { method: 'POST', headers, body: JSON.stringify(body) })).status;
}

describe('authorization matrix: every case route × every role × own/other object', () => {
  // Hundreds of requests (each cell writes its own case): give a busy machine time.
  it('answers exactly the documented status in every cell', { timeout: 180_000 }, async () => {
    const mismatches: string[] = [];
    for (const [route, row] of Object.entries(MATRIX)) {
      await Promise.all(
        ROLES_ORDER.flatMap((role) =>
          (['own', 'other'] as const).map(async (kind, i) => {
            const status = await request(route, role, kind);
            if (status !== row[role][i]) mismatches.push(`${route} as ${role} on ${kind}: ${status}, expected ${row[role][i]}`);
          }),
        ),
      );
    }
    expect(mismatches).toEqual([]);
  });
});

describe('a dispatcher\'s queue is its department\'s subtree', () => {
  const DISPATCHERS = { city: '+8613800000004', district: '+8613800000005' }; // 市局 · 雁峰区局
  const tokens = {} as Record<keyof typeof DISPATCHERS, string>;
  const held = {} as Record<'lighting' | 'street' | 'elsewhere', string>;
  beforeAll(async () => {
    for (const [who, phone] of Object.entries(DISPATCHERS)) tokens[who as keyof typeof DISPATCHERS] = (await loginAs(platform.url, phone)).accessToken;
    const holders = { lighting: ['city-lighting', '市路灯管理所'], street: ['tianmashan-street-brigade', '天马山街道城管大队'], elsewhere: [ELSEWHERE, '东风街道城管中队'] } as const;
    for (const [key, [departmentId, departmentName]] of Object.entries(holders)) {
      const base = await store.getCase(await dispatchedCase('other'));
      const id = randomUUID();
      const c: Case = { ...base!, id, caseNumber: undefined, assignment: { departmentId, departmentName }, dispatchPath: [departmentId] };
      await store.createCase({ case: c, event: { caseId: id, seq: 1, at: c.createdAt, action: 'report', toStatus: 'reported', actor: { id: 'x', role: 'citizen', displayName: 'x' }, internal: false }, counters: [] });
      held[key as keyof typeof held] = id;
    }
  });
  /** Every page of the caller's queue (following nextCursor). */
  const queue = async (who: keyof typeof DISPATCHERS, query = '') => {
    const items: Array<{ id: string; assignment?: { departmentId: string; departmentName: string } }> = [];
    let cursor: string | undefined;
    do {
      const { status, json } = await platform.api(`/v1/cases?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
      expect(status).toBe(200);
      items.push(...json.items);
      cursor = json.nextCursor;
    } while (cursor);
    return items;
  };

  it('lists, for the city bureau, the cases its street brigades and offices hold, with the holder', async () => {
    const items = await queue('city');
    expect(items.map((c) => c.id)).toEqual(expect.arrayContaining(Object.values(held)));
    expect(items.find((c) => c.id === held.lighting)?.assignment).toMatchObject({ departmentId: 'city-lighting', departmentName: '市路灯管理所' });
  });

  it('lists, for a district bureau, its brigades\' cases and no other district\'s', async () => {
    const ids = (await queue('district')).map((c) => c.id);
    expect(ids).toContain(held.street);
    expect(ids).not.toContain(held.elsewhere);
    expect(ids).not.toContain(held.lighting);
  });

  it('narrows to one department of the subtree with departmentId; outside it is 403', async () => {
    expect((await queue('city', '&departmentId=city-lighting')).map((c) => c.id)).toEqual([held.lighting]);
    const outside = await platform.api('/v1/cases?departmentId=city-lighting', { headers: { authorization: `Bearer ${tokens.district}` } });
    expect(outside.status).toBe(403);
    expect(outside.json.error.code).toBe('FORBIDDEN');
  });
});
