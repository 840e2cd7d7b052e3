/**
 * Domain errors. Use cases throw these; ONE mapper in `shared/http/error-mapper.ts` turns them into the
 * contract's JSON error shape. Nothing here knows about HTTP status codes.
 */

/** One field-level problem, `path` in dotted form (`location.lat`). */
export interface FieldIssue {
  path: string;
  message: string;
}

export class ValidationError extends Error {
  readonly details: FieldIssue[];
  constructor(message: string, details: FieldIssue[] = []) {
    super(message);
    this.name = 'ValidationError';
    this.details = details;
  }
}

export class UnauthenticatedError extends Error {
  constructor(message = 'Authentication required') {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

export class ForbiddenError extends Error {
  constructor(message = 'You may not do this') {
    super(message);
    this.name = 'ForbiddenError';
  }
}

export class NotFoundError extends Error {
  constructor(message = 'Not found') {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** 409: a stale `expectedVersion`, a duplicate, an idempotency-key reuse with another body. */
export class ConflictError extends Error {
  readonly code: string;
  constructor(message: string, code = 'CONFLICT') {
    super(message);
    this.name = 'ConflictError';
    this.code = code;
  }
}

/** 409 INVALID_TRANSITION: the action is not allowed in the case's current status. */
export class InvalidTransitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTransitionError';
  }
}

export class PayloadTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadTooLargeError';
  }
}

/** 431: the request line and headers are larger than the server reads (e.g. a 70 kB URL). */
export class HeadersTooLargeError extends Error {
  constructor(message = 'The URL and headers are too large') {
    super(message);
    this.name = 'HeadersTooLargeError';
  }
}

export class UnsupportedMediaTypeError extends Error {
  constructor(message = 'Content-Type must be application/json') {
    super(message);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** 429 with `Retry-After`. */
export class RateLimitedError extends Error {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** 503 with `Retry-After`: contention outlasted the retries (a hot item); the request changed nothing. */
export class BusyError extends Error {
  readonly retryAfterSeconds: number;
  constructor(message = 'The service is busy; try again in a moment', retryAfterSeconds = 1) {
    super(message);
    this.name = 'BusyError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
