import type { CaseEventMessage } from '#shared/domain/events/reactions';
import { sign } from './signature.ts';

/**
 * Outbound status callbacks to the 12345 hotline (docs/hotline-integration.md): each status change of a
 * hotline case, POSTed to the hotline's URL, signed per Standard Webhooks with OUR secret. The
 * `webhook-id` is stable per event, so a retried delivery can be dropped by the receiver.
 */

/**
 * The `case-events` subscription filter of the hotline queue (SNS filter policy; the local platform
 * applies the same): status changes of hotline cases and of cases that hotline cases were merged into.
 */
export const HOTLINE_SUBSCRIPTION_FILTER = { hotline: ['true'], statusChange: ['true'] } as const;

export const matchesFilter = (attributes: Record<string, string>, filter: Record<string, readonly string[]>) =>
  Object.entries(filter).every(([name, allowed]) => attributes[name] !== undefined && allowed.includes(attributes[name]!));

export interface CallbackPayload {
  /** `case.merged`: the ticket's case was merged into `mergedInto`, whose status callbacks follow. */
  type: 'case.status_changed' | 'case.merged';
  timestamp: string;
  data: {
    ticketId: string;
    caseId: string;
    caseNumber?: string | undefined;
    /** The event's position in the case's history: order callbacks by it (a retry can arrive late). */
    seq: number;
    action: string;
    previousStatus?: string | undefined;
    status: string;
    at: string;
    note?: string | undefined;
    mergedInto?: string | undefined;
    mergedIntoCaseNumber?: string | undefined;
  };
}

/** Stable per event and ticket: a merged ticket's copy of an event has an id of its own. */
export const callbackId = (message: Pick<CaseEventMessage, 'caseId' | 'seq'>, followerTicketId?: string) =>
  `msg_${message.caseId}_${message.seq}${followerTicketId ? `_${followerTicketId}` : ''}`;

/** The callback for the case's own ticket, or — `followerTicketId` — for a ticket merged into the case. */
export function callbackPayload(message: CaseEventMessage, followerTicketId?: string): CallbackPayload {
  const merged = message.action === 'merge' && !followerTicketId;
  return {
    type: merged ? 'case.merged' : 'case.status_changed',
    timestamp: message.at,
    data: {
      ticketId: followerTicketId ?? message.hotlineTicketId ?? '',
      caseId: message.caseId,
      ...(message.caseNumber ? { caseNumber: message.caseNumber } : {}),
      seq: message.seq,
      action: message.action,
      ...(message.fromStatus ? { previousStatus: message.fromStatus } : {}),
      status: message.toStatus,
      at: message.at,
      ...(message.note ? { note: message.note } : {}),
      ...(merged && message.mergedInto ? { mergedInto: message.mergedInto, ...(message.mergedIntoCaseNumber ? { mergedIntoCaseNumber: message.mergedIntoCaseNumber } : {}) } : {}),
    },
  };
}

/** The signed request for one event (and ticket): headers and the exact body bytes that were signed. */
export function signedCallback(secret: string, message: CaseEventMessage, now: Date, followerTicketId?: string) {
  const id = callbackId(message, followerTicketId);
  const timestamp = Math.floor(now.getTime() / 1000);
  const body = JSON.stringify(callbackPayload(message, followerTicketId));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign(secret, id, timestamp, body),
    },
  };
}

/** Retry schedule: 30 s, 1, 2, 4, 8, 16, 32 min, then hourly (the queue moves it to the DLQ after 10 tries). */
export const retryDelaySeconds = (attempt: number) => Math.min(30 * 2 ** Math.max(0, attempt - 1), 3600);
export const MAX_DELIVERY_ATTEMPTS = 10;

export interface CallbackDeps {
  url: string | undefined;
  secret: () => Promise<string>;
  post: (url: string, headers: Record<string, string>, body: string) => Promise<number>;
  now: () => Date;
}

/**
 * Delivers one event — to the case's own ticket and to every ticket merged into the case; throws (→
 * retried, then dead-lettered) unless the hotline answered 2xx to each (a retry repeats them all with
 * the same ids, which the hotline drops as duplicates).
 */
export async function deliverCallback(deps: CallbackDeps, message: CaseEventMessage): Promise<'delivered' | 'not-for-hotline'> {
  const own = message.channel === 'hotline' && message.hotlineTicketId ? [undefined] : [];
  const targets = [...own, ...(message.followerTicketIds ?? [])];
  if (!message.statusChange || targets.length === 0) return 'not-for-hotline';
  if (!deps.url) throw new Error('HOTLINE_CALLBACK_URL is not configured');
  const secret = await deps.secret();
  for (const followerTicketId of targets) {
    const request = signedCallback(secret, message, deps.now(), followerTicketId);
    const status = await deps.post(deps.url, request.headers, request.body);
    if (status < 200 || status > 299) throw new Error(`The hotline answered ${status}`);
  }
  return 'delivered';
}
