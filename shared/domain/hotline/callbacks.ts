import type { CaseEventMessage } from '#shared/domain/events/reactions';
import { sign } from './signature.ts';

/**
 * Outbound status callbacks to the 12345 hotline (docs/hotline-integration.md): each status change of a
 * hotline case, POSTed to the hotline's URL, signed per Standard Webhooks with OUR secret. The
 * `webhook-id` is stable per event, so a retried delivery can be dropped by the receiver.
 */

/** The `case-events` subscription filter of the hotline queue (SNS filter policy; the local platform applies the same). */
export const HOTLINE_SUBSCRIPTION_FILTER = { channel: ['hotline'], statusChange: ['true'] } as const;

export const matchesFilter = (attributes: Record<string, string>, filter: Record<string, readonly string[]>) =>
  Object.entries(filter).every(([name, allowed]) => attributes[name] !== undefined && allowed.includes(attributes[name]!));

export interface CallbackPayload {
  type: 'case.status_changed';
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
  };
}

export const callbackId = (message: Pick<CaseEventMessage, 'caseId' | 'seq'>) => `msg_${message.caseId}_${message.seq}`;

export function callbackPayload(message: CaseEventMessage): CallbackPayload {
  return {
    type: 'case.status_changed',
    timestamp: message.at,
    data: {
      ticketId: message.hotlineTicketId ?? '',
      caseId: message.caseId,
      ...(message.caseNumber ? { caseNumber: message.caseNumber } : {}),
      seq: message.seq,
      action: message.action,
      ...(message.fromStatus ? { previousStatus: message.fromStatus } : {}),
      status: message.toStatus,
      at: message.at,
      ...(message.note ? { note: message.note } : {}),
    },
  };
}

/** The signed request for one event: headers and the exact body bytes that were signed. */
export function signedCallback(secret: string, message: CaseEventMessage, now: Date) {
  const id = callbackId(message);
  const timestamp = Math.floor(now.getTime() / 1000);
  const body = JSON.stringify(callbackPayload(message));
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

/** Delivers one event; throws (→ retried, then dead-lettered) unless the hotline answered 2xx. */
export async function deliverCallback(deps: CallbackDeps, message: CaseEventMessage): Promise<'delivered' | 'not-for-hotline'> {
  if (message.channel !== 'hotline' || !message.statusChange || !message.hotlineTicketId) return 'not-for-hotline';
  if (!deps.url) throw new Error('HOTLINE_CALLBACK_URL is not configured');
  const request = signedCallback(await deps.secret(), message, deps.now());
  const status = await deps.post(deps.url, request.headers, request.body);
  if (status < 200 || status > 299) throw new Error(`The hotline answered ${status}`);
  return 'delivered';
}
