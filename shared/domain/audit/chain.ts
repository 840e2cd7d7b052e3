/**
 * 操作日志 — the tamper-evident record of administrative changes. Each entry's content is digested as
 * RFC 8785 canonical JSON (`canonicalize`), and the entries are chained with a keyed MAC:
 *
 *     digest = SHA-256(canonical JSON of { seq, at, actorId, actorName, kind, target, before?, after? })
 *     hash   = HMAC-SHA-256(key, prevHash ‖ digest)          (hex; the first entry's prevHash is 64 zeros)
 *
 * The key lives in Secrets Manager (locally `.data/local.env`), not in the table: someone who can write
 * the table but not read the key can change an entry, but cannot compute the hashes that would hide it.
 * Personal data (phone numbers) may be erased from an entry (PIPL): the entry keeps its stored digest,
 * and verification uses that digest for an erased entry instead of recomputing it — the chain still
 * proves order and completeness, and every entry not erased is still checked against its content.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import canonicalize from 'canonicalize';

import { AUDIT_KINDS, type AuditKind } from './kinds.ts';

export { AUDIT_KINDS, type AuditKind };

/** Who made a change: an admin through the API, or an operator's CLI command (`city-cli`). */
export interface AuditActor {
  actorId: string;
  actorName: string;
}

/** The CLI's actor: imports write through the same code as the API, named as themselves. */
export const CLI_ACTOR: AuditActor = { actorId: 'city-cli', actorName: 'npm run city' };

/** What a change appends: who, what kind, which item, and the item before and after (as the API shows it). */
export interface AuditInput extends AuditActor {
  kind: AuditKind;
  target: string;
  before?: unknown;
  after?: unknown;
}

/** The content an entry's digest covers. */
export interface AuditContent extends AuditInput {
  seq: number;
  at: string;
}

/** An entry as stored: its content, the content's digest, and its place in the chain. */
export interface AuditEntry extends AuditContent {
  digest: string;
  prevHash: string;
  hash: string;
  /** Personal data was erased from before/after (the stored digest is the original content's). */
  erased?: boolean | undefined;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The content's fields only, without absent ones (canonical JSON has no `undefined`). */
export function contentOf(entry: AuditContent): AuditContent {
  const { seq, at, actorId, actorName, kind, target, before, after } = entry;
  return { seq, at, actorId, actorName, kind, target, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
}

/** SHA-256 (hex) of the content's RFC 8785 canonical JSON. */
export function digestOf(content: AuditContent): string {
  const json = canonicalize(JSON.parse(JSON.stringify(contentOf(content))));
  if (json === undefined) throw new Error('An audit entry has no JSON form');
  return createHash('sha256').update(json, 'utf8').digest('hex');
}

/** HMAC-SHA-256(key, prevHash ‖ digest), hex. */
export function chainHash(key: Uint8Array, prevHash: string, digest: string): string {
  return createHmac('sha256', key).update(`${prevHash}${digest}`, 'utf8').digest('hex');
}

/** The stored form of the next entry after `prev` (seq and hash of the chain's head). */
export function sealEntry(key: Uint8Array, prev: { seq: number; hash: string }, input: AuditInput, at: Date): AuditEntry {
  const content = contentOf({ ...input, seq: prev.seq + 1, at: at.toISOString() });
  const digest = digestOf(content);
  return { ...content, digest, prevHash: prev.hash, hash: chainHash(key, prev.hash, digest) };
}

const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Why an entry does not match. */
export type AuditBreak =
  | { seq: number; reason: 'missing'; detail: string }
  | { seq: number; reason: 'content'; detail: string }
  | { seq: number; reason: 'link'; detail: string }
  | { seq: number; reason: 'hash'; detail: string };

/**
 * Walks entries in seq order from 1: each must follow the one before (seq + 1, prevHash = its hash),
 * its digest must be its content's (unless erased), and its hash the keyed MAC of both. Answers the
 * first entry that does not match, or none; `head` (the last seq and hash the head item holds) must be
 * the last entry's, so that entries cut off at the end show too.
 */
export function verifyChain(key: Uint8Array, entries: Iterable<AuditEntry>, head?: { seq: number; hash: string }): { checked: number; lastHash: string; broken?: AuditBreak } {
  let prev = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for (const entry of entries) {
    if (entry.seq !== prev.seq + 1) return { checked, lastHash: prev.hash, broken: { seq: prev.seq + 1, reason: 'missing', detail: `the next entry stored is ${entry.seq}` } };
    if (!entry.erased && !sameHex(digestOf(entry), entry.digest)) return { checked, lastHash: prev.hash, broken: { seq: entry.seq, reason: 'content', detail: 'its content does not match its digest' } };
    if (!sameHex(entry.prevHash, prev.hash)) return { checked, lastHash: prev.hash, broken: { seq: entry.seq, reason: 'link', detail: 'its prevHash is not the hash of the entry before' } };
    if (!sameHex(chainHash(key, prev.hash, entry.digest), entry.hash)) return { checked, lastHash: prev.hash, broken: { seq: entry.seq, reason: 'hash', detail: 'its hash is not HMAC(key, prevHash ‖ digest)' } };
    prev = { seq: entry.seq, hash: entry.hash };
    checked++;
  }
  if (head && (head.seq !== prev.seq || head.hash !== prev.hash)) {
    return { checked, lastHash: prev.hash, broken: { seq: prev.seq + 1, reason: 'missing', detail: `the head names entry ${head.seq}, the last stored is ${prev.seq}` } };
  }
  return { checked, lastHash: prev.hash };
}

/** A copy of a value with every `phone` field replaced (the leader's view; PIPL erasure). */
export function withoutPhones(value: unknown, replacement: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutPhones(v, replacement));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (k === 'phone' ? (replacement === undefined ? [] : [[k, replacement]]) : [[k, withoutPhones(v, replacement)]])),
    );
  }
  return value;
}

/** The actor of a request's principal. */
export const actorOf = (principal: { userId: string; displayName: string }): AuditActor => ({ actorId: principal.userId, actorName: principal.displayName });
