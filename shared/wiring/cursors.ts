import { getConfig } from '#shared/config/index';
import { loadCursorCodec } from '#shared/adapters/cursors';
import type { CursorCodec } from '#shared/domain/cases/ports';

let pending: Promise<CursorCodec> | undefined;

/** The list cursor codec (its key from the cursor secret), built once per container by the list functions. */
export function getCursorCodec(): Promise<CursorCodec> {
  pending ??= loadCursorCodec(getConfig());
  pending.catch(() => (pending = undefined)); // a failed secret fetch is retried on the next call
  return pending;
}
