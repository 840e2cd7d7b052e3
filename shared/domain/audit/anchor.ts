/**
 * The audit record's anchor: at least hourly the stack copies the chain's head `{ seq, hash }` into an
 * S3 bucket with Object Lock (infra/constructs/audit-anchor.ts), where nobody — not even whoever holds the
 * table and the audit secret — can change or delete it during its retention. `audit verify` then checks
 * the chain against the latest anchor: an attacker who rebuilds the chain with the key (rewriting
 * history before the anchor) or cuts it short cannot make the anchored seq keep its anchored hash.
 */

/** What one anchor object holds: the head as read, and when it was anchored. */
export interface AuditAnchor {
  seq: number;
  hash: string;
  at: string;
}

/** The head of an empty chain (no entry yet): seq 0 and the genesis hash. */
const EMPTY = { seq: 0, hash: '0'.repeat(64) };

/** `anchors/YYYY/MM/DD/HH.json` (UTC): one object per hour, sorted by time as S3 lists keys. */
export const anchorKey = (at: Date) => `anchors/${at.toISOString().slice(0, 13).replace(/[-T]/g, '/')}.json`;

export interface AnchorDeps {
  /** The chain's head, read consistently (undefined: no entry yet). */
  head(): Promise<{ seq: number; hash: string } | undefined>;
  /** Writes one object (the bucket keeps every version, locked). */
  put(key: string, body: string): Promise<void>;
  now(): Date;
}

/** 锚定 — writes the head as it is now to `anchors/…/HH.json`; the anchor and its key. */
export async function anchorAuditHead(deps: AnchorDeps): Promise<{ key: string; anchor: AuditAnchor }> {
  const head = (await deps.head()) ?? EMPTY;
  const at = deps.now();
  const anchor: AuditAnchor = { seq: head.seq, hash: head.hash, at: at.toISOString() };
  const key = anchorKey(at);
  await deps.put(key, JSON.stringify(anchor));
  return { key, anchor };
}

/** Reads an anchor object's text; undefined when it is not one. */
export function parseAnchor(text: string): AuditAnchor | undefined {
  try {
    const value = JSON.parse(text) as Partial<AuditAnchor>;
    if (Number.isInteger(value.seq) && (value.seq as number) >= 0 && typeof value.hash === 'string' && /^[0-9a-f]{64}$/.test(value.hash) && typeof value.at === 'string') return { seq: value.seq!, hash: value.hash, at: value.at };
  } catch {
    // not JSON
  }
  return undefined;
}

/**
 * Checks the chain against an anchor: the entry at the anchored seq must carry the anchored hash (seq 0:
 * the empty chain, always true). Run after the chain itself verified: a chain that verifies but differs
 * at the anchor was rebuilt with the key; one that ends before the anchored seq was cut short.
 */
export function checkAnchor(entries: ReadonlyArray<{ seq: number; hash: string }>, anchor: AuditAnchor): { ok: true } | { ok: false; detail: string } {
  if (anchor.seq === 0) return { ok: true };
  const entry = entries.find((e) => e.seq === anchor.seq);
  if (!entry) return { ok: false, detail: `the chain has no entry ${anchor.seq} (it ends at ${entries.at(-1)?.seq ?? 0}): entries were removed after it was anchored` };
  if (entry.hash !== anchor.hash) return { ok: false, detail: `entry ${anchor.seq}'s hash is ${entry.hash}, the anchor holds ${anchor.hash}: the chain was rewritten up to it after it was anchored` };
  return { ok: true };
}
