/**
 * Domain errors. Use cases throw these; ONE mapper in `shared/http/error-mapper.ts` turns them into the
 * contract's JSON error shape. Nothing here knows about HTTP status codes or languages: an error may
 * carry a stable message id (and its parameters) that the HTTP layer's catalogue turns into the
 * caller's language; `message` is the English text for logs and the fallback.
 */

/** Named values a catalogue text refers to (`{seconds}`). */
export type MessageParams = Readonly<Record<string, string | number>>;

/** A message by its stable id (`auth.code-wrong`), with its parameters. */
export interface MessageRef {
  id: string;
  params?: MessageParams;
}

/** What every domain error has: an optional message id for the translated text. */
export abstract class DomainError extends Error {
  readonly messageId: string | undefined;
  readonly messageParams: MessageParams | undefined;
  constructor(message: string, ref: MessageRef | undefined) {
    super(message);
    this.messageId = ref?.id;
    this.messageParams = ref?.params;
  }
}

/** One field-level problem, `path` in dotted form (`location.lat`). */
export interface FieldIssue {
  path: string;
  message: string;
}

export class ValidationError extends DomainError {
  readonly details: FieldIssue[];
  constructor(message: string, details: FieldIssue[] = [], ref?: MessageRef) {
    super(message, ref);
    this.name = 'ValidationError';
    this.details = details;
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Authentication required', ref?: MessageRef) {
    super(message, ref);
    this.name = 'UnauthenticatedError';
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You may not do this', ref?: MessageRef) {
    super(message, ref);
    this.name = 'ForbiddenError';
  }
}

export class NotFoundError extends DomainError {
  constructor(message = 'Not found', ref?: MessageRef) {
    super(message, ref);
    this.name = 'NotFoundError';
  }
}

/** 409: a stale `expectedVersion`, a duplicate, an idempotency-key reuse with another body. */
export class ConflictError extends DomainError {
  readonly code: string;
  constructor(message: string, code = 'CONFLICT', ref?: MessageRef) {
    super(message, ref);
    this.name = 'ConflictError';
    this.code = code;
  }
}

/** Who last changed an item of the reference data, and when (the 412's details). */
export interface CurrentVersion {
  currentVersion: number;
  updatedAt?: string | undefined;
  updatedBy?: { id: string; displayName: string } | undefined;
}

/**
 * 412 PRECONDITION_FAILED: the `If-Match` version of an admin write is not the stored one — another
 * admin changed the item since it was read. Carries the stored version, when and by whom.
 */
export class PreconditionFailedError extends DomainError {
  readonly current: CurrentVersion;
  constructor(current: CurrentVersion) {
    const at = current.updatedAt ? shanghaiMinute(current.updatedAt) : undefined;
    const who = current.updatedBy?.displayName;
    super(
      `The item is at version ${current.currentVersion}${who ? `, changed by ${who}` : ''}${at ? ` at ${at} (Beijing time)` : ''}; read it again before changing it`,
      who && at ? { id: 'admin.stale-version', params: { name: who, time: at } } : { id: 'admin.stale-version-unknown' },
    );
    this.name = 'PreconditionFailedError';
    this.current = current;
  }
}

/** `2026-12-07 14:03`, the minute of an ISO time in Asia/Shanghai (UTC+8, no daylight saving). */
const shanghaiMinute = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * 409 PHOTO_PENDING with `Retry-After`: a photo of the request is still being checked after its upload.
 * Not a refusal: the same request (with its Idempotency-Key) succeeds once the check is done.
 */
export class PhotoPendingError extends ConflictError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number, ref?: MessageRef) {
    super(message, 'PHOTO_PENDING', ref);
    this.name = 'PhotoPendingError';
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** 409 INVALID_TRANSITION: the action is not allowed in the case's current status. */
export class InvalidTransitionError extends DomainError {
  constructor(message: string, ref?: MessageRef) {
    super(message, ref);
    this.name = 'InvalidTransitionError';
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(message: string, ref?: MessageRef) {
    super(message, ref);
    this.name = 'PayloadTooLargeError';
  }
}

/** 431: the request line and headers are larger than the server reads (e.g. a 70 kB URL). */
export class HeadersTooLargeError extends DomainError {
  constructor(message = 'The URL and headers are too large', ref?: MessageRef) {
    super(message, ref);
    this.name = 'HeadersTooLargeError';
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor(message = 'Content-Type must be application/json', ref?: MessageRef) {
    super(message, ref);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** 429 with `Retry-After`. */
export class RateLimitedError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number, ref?: MessageRef) {
    super(message, ref);
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** 503 with `Retry-After`: contention outlasted the retries (a hot item); the request changed nothing. */
export class BusyError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message = 'The service is busy; try again in a moment', retryAfterSeconds = 1, ref?: MessageRef) {
    super(message, ref);
    this.name = 'BusyError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
