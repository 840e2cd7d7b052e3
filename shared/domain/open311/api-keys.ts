/**
 * API keys of client systems (Open311). A key is `o311_<id>_<secret>`: the id finds the record with
 * one GetItem, and only the secret's SHA-256 is stored, so the table never holds a usable key. A key of
 * another shape (e.g. one issued before, kept in `.data/local.env`) is found by an id derived from its
 * hash, and works the same.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ForbiddenError, NotFoundError, RateLimitedError } from '#shared/domain/errors';
import type { AuditActor } from '#shared/domain/audit/chain';
import type { AuditLog, Audited } from '#shared/domain/audit/ports';

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** SHA-256 (hex) of the key's secret part. */
  secretHash: string;
  createdAt: string;
  /** The admin who created it (`local-platform` for the local key). */
  createdBy: string;
}

export interface ApiKeyStore {
  /** Stores a new key; false when the id is taken. */
  create(record: ApiKeyRecord, audit?: Audited): Promise<boolean>;
  /** Stores a key whatever is there (the local platform's key at every start). */
  put(record: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** Deletes a key; false when there was none. */
  remove(id: string, audit?: Audited): Promise<boolean>;
  /** Counts one request of this key in this minute; false when the key already made `limit` of them. */
  countRequest(id: string, minute: number, limit: number): Promise<boolean>;
}

/** The client a valid key belongs to. */
export interface ApiClient {
  keyId: string;
  name: string;
}

const SHAPE = /^o311_([0-9a-z]{16})_([0-9a-f]{64})$/;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The record id and secret of a presented key (any string: a malformed key simply matches nothing). */
export function keyParts(key: string): { id: string; secret: string } {
  const match = SHAPE.exec(key);
  if (match) return { id: match[1]!, secret: match[2]! };
  return { id: `h${sha256(`id:${key}`).slice(0, 23)}`, secret: key };
}

/** A new key and the record to store for it. */
export function newApiKey(name: string, createdBy: string, at: Date): { key: string; record: ApiKeyRecord } {
  const id = randomBytes(10).toString('hex').slice(0, 16);
  const secret = randomBytes(32).toString('hex');
  return { key: `o311_${id}_${secret}`, record: { id, name, secretHash: sha256(secret), createdAt: at.toISOString(), createdBy } };
}

/** The record to store for a key issued elsewhere (the local platform's `OPEN311_API_KEY`). */
export function recordForKey(key: string, name: string, createdBy: string, at: Date): ApiKeyRecord {
  const { id, secret } = keyParts(key);
  return { id, name, secretHash: sha256(secret), createdAt: at.toISOString(), createdBy };
}

/** Requests per key per minute, unless configured otherwise. */
export const DEFAULT_KEY_RATE_PER_MINUTE = 60;

/**
 * Who presents this key: the key's client, or 403 (unknown, revoked or wrong secret — one answer for
 * all). A valid key's request is counted against its per-minute limit (429 with the seconds to wait).
 * 1. Find the record by the key's id (one GetItem).
 * 2. Compare the secret's hash in constant time.
 * 3. Count the request in the key's current minute.
 */
export async function authenticateClient(store: ApiKeyStore, key: string | undefined, options: { now: Date; ratePerMinute: number }): Promise<ApiClient> {
  if (!key) throw new ForbiddenError('An api_key is required');
  const { id, secret } = keyParts(key);
  const record = await store.get(id);
  const presented = Buffer.from(sha256(secret), 'hex');
  const stored = Buffer.from(record?.secretHash ?? '', 'hex');
  if (!record || stored.length !== presented.length || !timingSafeEqual(stored, presented)) throw new ForbiddenError('Invalid api_key');
  const nowSeconds = Math.floor(options.now.getTime() / 1000);
  const minute = nowSeconds - (nowSeconds % 60);
  if (!(await store.countRequest(id, minute, options.ratePerMinute))) {
    throw new RateLimitedError(`This api_key made ${options.ratePerMinute} requests this minute`, minute + 60 - nowSeconds);
  }
  return { keyId: record.id, name: record.name };
}

/** `POST /v1/admin/api-keys`: a new key, shown once. */
export async function createApiKey(store: ApiKeyStore, name: string, createdBy: string, now: Date, recorded?: { log: AuditLog; actor: AuditActor }) {
  const { key, record } = newApiKey(name, createdBy, now);
  // The audit entry holds neither the key nor its hash.
  const audit = recorded && { log: recorded.log, input: { ...recorded.actor, kind: 'api-key.create' as const, target: record.id, after: { id: record.id, name: record.name, createdBy } } };
  if (!(await store.create(record, audit))) throw new Error('API key id collision');
  return { id: record.id, key, name: record.name, createdAt: record.createdAt };
}

/** `DELETE /v1/admin/api-keys/{id}`: the key stops working at once. */
export async function revokeApiKey(store: ApiKeyStore, id: string, recorded?: { log: AuditLog; actor: AuditActor }) {
  const audit = recorded && {
    log: recorded.log,
    input: (before: Record<string, unknown> | undefined) => ({ ...recorded.actor, kind: 'api-key.revoke' as const, target: id, ...(before ? { before: { id, name: before.name, createdBy: before.createdBy } } : {}) }),
  };
  if (!(await store.remove(id, audit))) throw new NotFoundError('No such API key');
}

/** 开放接口 — the keys for the admins: who uses each and since when, never the key or its hash. */
export async function listApiKeys(store: Pick<ApiKeyStore, 'list'>) {
  return { items: (await store.list()).map(({ id, name, createdAt, createdBy }) => ({ id, name, createdAt, createdBy })) };
}
