/** The message types of the live channel (the contract's list). */
export const LIVE_TYPES = [
  'case.reported',
  'case.filed',
  'case.dispatched',
  'case.handled',
  'case.closed',
  'case.warned',
  'case.escalated',
  'request.pending',
  'field-check.answered',
  'roll-call.answered',
  'duty.changed',
] as const;
export type LiveType = (typeof LIVE_TYPES)[number];

/** `<ms since epoch, base36, 9 digits>-<12 hex digits>`: sorts as text in time order. */
export const LIVE_ID_PATTERN = /^[0-9a-z]{9}-[0-9a-f]{12}$/;
