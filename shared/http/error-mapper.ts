import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  BusyError,
  ConflictError,
  ForbiddenError,
  HeadersTooLargeError,
  InvalidTransitionError,
  NotFoundError,
  PayloadTooLargeError,
  PhotoPendingError,
  PreconditionFailedError,
  RateLimitedError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
  type FieldIssue,
} from '#shared/domain/errors';
import { loggableError, logger } from '#shared/observability/logger';
import { DEFAULT_LANGUAGE, localize, negotiateLanguage, type Language } from './messages.ts';

interface Mapped {
  status: number;
  code: string;
  message: string;
  /** Field problems (400), or what a 412 found stored (`{ currentVersion, updatedAt, updatedBy }`). */
  details?: FieldIssue[] | Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * THE mapping from domain errors to the contract's status and code, with the message in the caller's
 * language (the catalogue in `messages.ts`, by the error's message id). Anything unknown is a 500.
 */
export function mapError(error: unknown, language: Language = DEFAULT_LANGUAGE): Mapped {
  const mapped = mapStatus(error);
  return { ...mapped, message: localize(language, mapped.code, mapped.status === 500 ? {} : (error as Parameters<typeof localize>[2])) };
}

function mapStatus(error: unknown): Mapped {
  if (error instanceof ValidationError)
    return { status: 400, code: 'VALIDATION_FAILED', message: error.message, details: error.details };
  if (error instanceof UnauthenticatedError) return { status: 401, code: 'UNAUTHENTICATED', message: error.message };
  if (error instanceof ForbiddenError) return { status: 403, code: 'FORBIDDEN', message: error.message };
  if (error instanceof NotFoundError) return { status: 404, code: 'NOT_FOUND', message: error.message };
  if (error instanceof PhotoPendingError) return { status: 409, code: error.code, message: error.message, headers: { 'retry-after': String(error.retryAfterSeconds) } };
  if (error instanceof ConflictError) return { status: 409, code: error.code, message: error.message };
  if (error instanceof PreconditionFailedError) return { status: 412, code: 'PRECONDITION_FAILED', message: error.message, details: { ...error.current } };
  if (error instanceof InvalidTransitionError)
    return { status: 409, code: 'INVALID_TRANSITION', message: error.message };
  if (error instanceof PayloadTooLargeError) return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: error.message };
  if (error instanceof HeadersTooLargeError) return { status: 431, code: 'HEADERS_TOO_LARGE', message: error.message };
  if (error instanceof UnsupportedMediaTypeError)
    return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: error.message };
  if (error instanceof RateLimitedError)
    return {
      status: 429,
      code: 'RATE_LIMITED',
      message: error.message,
      headers: { 'retry-after': String(error.retryAfterSeconds) },
    };
  if (error instanceof BusyError)
    return { status: 503, code: 'BUSY', message: error.message, headers: { 'retry-after': String(error.retryAfterSeconds) } };
  return { status: 500, code: 'INTERNAL', message: 'Internal error' };
}

/** Builds the contract's error response (`{ error: { code, message, details?, requestId } }`). */
export function errorResponse(error: unknown, requestId: string, language: Language = DEFAULT_LANGUAGE): APIGatewayProxyStructuredResultV2 {
  const mapped = mapError(error, language);
  return {
    statusCode: mapped.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-language': language, vary: 'accept-language', 'x-request-id': requestId, ...mapped.headers },
    body: JSON.stringify({
      error: {
        code: mapped.code,
        message: mapped.message,
        ...(mapped.details && (!Array.isArray(mapped.details) || mapped.details.length > 0) ? { details: mapped.details } : {}),
        requestId,
      },
    }),
  };
}

/**
 * Writes an error response from the one mapping: the contract's body by default; a facade with its own
 * standard's error shape (Open311) passes its writer, which receives the same mapping.
 */
export type ErrorRenderer = (mapped: Mapped, requestId: string, event: APIGatewayProxyEventV2) => APIGatewayProxyStructuredResultV2;

export type { Mapped as MappedError };

/**
 * The one error handler of the middy chain. Its `onError` must run before CORS and security headers
 * add theirs, so it is `use()`d after them (middy runs `onError` in reverse order).
 */
export function errorMapper(render?: ErrorRenderer): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async (request) => {
      const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
      const acceptLanguage = request.event.headers?.['accept-language'];
      const language = negotiateLanguage(acceptLanguage);
      // Open311 clients are written against an English specification: its own error texts unless the
      // client asks for a language.
      const response = render
        ? render(mapError(request.error, acceptLanguage && acceptLanguage.trim() !== '*' ? language : 'en'), requestId, request.event)
        : errorResponse(request.error, requestId, language);
      if (response.statusCode === 500) {
        // Details go to the log (with the request id), never to the client.
        logger.error('Unhandled error', { requestId, error: loggableError(request.error) });
      }
      request.response = response;
    },
  };
}
