import type * as z from '#shared/validation/zod';
import type { Role } from '#shared/domain/roles';
import { ErrorBody } from '#shared/schemas/common';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A route's method: one HTTP method, or `ANY` for a facade that routes inside its one function (Open311). */
export type RouteMethod = HttpMethod | 'ANY';

/**
 * Who may call a route: `public` (anyone), `signed` (verified by a webhook signature inside the handler),
 * `local` (served only by the local platform, never deployed) or a list of roles (a valid access token
 * holding at least one of them).
 */
export type Access = 'public' | 'signed' | 'local' | readonly Role[];

export interface RouteResponse {
  description: string;
  schema?: z.core.$ZodType;
  contentType?: string;
}

/**
 * One HTTP route of the contract: what the CDK app deploys as one function, what the local gateway
 * dispatches, and what the OpenAPI document describes. Each area's module exports its routes by name,
 * so a function imports only its own route's spec (and so only its area's schemas).
 */
export interface RouteSpec {
  method: RouteMethod;
  /**
   * API Gateway path template, `{name}` for a parameter (one whole segment), `{name+}` as the last
   * segment for the greedy rest of the path. `$default` is the catch-all.
   */
  path: string;
  /** Module exporting `handler`, relative to the repository root. */
  handler: string;
  access: Access;
  summary: string;
  /** What the OpenAPI document says beyond the summary; the summary (as a sentence) when absent. Who may call is added from `access`. */
  description?: string;
  tag: string;
  request?: { body?: z.core.$ZodType; query?: z.core.$ZodType; params?: z.core.$ZodType };
  responses: Record<number, RouteResponse>;
  /** Largest accepted request body in bytes (413 above). Defaults to {@link DEFAULT_MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
  /**
   * How the body is parsed before `request.body` is validated: `json` (the default) or `form`
   * (`application/x-www-form-urlencoded` into `{ field: value }`, a repeated field into a list).
   */
  bodyFormat?: 'json' | 'form';
  /**
   * The shape of this route's errors: the contract's `{ error: { code, message } }` (default), or
   * `open311` — the GeoReport v2 list `[{ code, description }]` (or `<errors>` in XML), with the HTTP
   * status as `code`. Tests that walk the route table recognise the second kind by this flag.
   */
  errorFormat?: 'contract' | 'open311';
  /** A body the function validates itself (signed routes check the raw bytes first); documented only. */
  documentedBody?: z.core.$ZodType;
  /** What the route's function may touch; the CDK app grants exactly this (least privilege). */
  needs?: RouteNeeds;
  /**
   * The route honours an `Idempotency-Key` header (shared/domain/cases/idempotency.ts): documented as an
   * optional header parameter.
   */
  idempotencyKey?: boolean;
  /**
   * The route's item is versioned (shared/domain/reference/versions.ts): `read` — its 200 carries
   * `ETag: "<version>"`; `write` — also takes `If-Match: "<version>"` (412 PRECONDITION_FAILED when stale).
   */
  versioned?: 'read' | 'write';
}

export interface RouteNeeds {
  table?: 'read' | 'readWrite';
  /** `upload`: sign POSTs into `uploads/`; `view`: sign GETs of cleaned copies and thumbnails. */
  bucket?: 'upload' | 'view';
  /** Publish SMS to phone numbers through SNS. */
  sms?: boolean;
  /** Read the auth secret (token signing key, code pepper): the auth functions only. */
  signingKey?: boolean;
  /** Read the hotline webhook secrets. */
  hotlineSecret?: boolean;
  /** Read the list-cursor secret (routes that page with `cursor`). */
  cursorKey?: boolean;
  /** Read the audit secret (routes whose writes append to the audit record, 操作日志). */
  auditKey?: boolean;
  /** Publish its own live messages to `case-events` (`getLivePublisher()`: roll calls, duty). */
  liveTopic?: boolean;
}

/** JSON bodies are small; photos go straight to S3 with a presigned POST, never through the API. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The request headers browsers may send cross-origin (the function's CORS, API Gateway's and the local gateway's). */
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'if-match'] as const;

/** The response headers a browser's script may read cross-origin (the ETag of a versioned item). */
export const CORS_EXPOSED_HEADERS = ['etag', 'retry-after'] as const;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED: the request does not match the schema (field-level details)',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT or INVALID_TRANSITION',
  412: 'PRECONDITION_FAILED: the If-Match version is stale — details: { currentVersion, updatedAt, updatedBy: { id, displayName } }; read the item again',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED (see Retry-After)',
  500: 'INTERNAL',
};

/** The 409 of a route that takes photos: a photo still being checked is 409 PHOTO_PENDING with Retry-After. */
export const PHOTO_CONFLICT: Record<number, RouteResponse> = {
  409: {
    description: 'CONFLICT or INVALID_TRANSITION; PHOTO_PENDING (a photo still being checked after its upload: send the same request again after Retry-After seconds)',
    schema: ErrorBody,
  },
};

/** The contract's error responses for the given statuses (all share the one error body). */
export const errors = (...statuses: number[]): Record<number, RouteResponse> =>
  Object.fromEntries(statuses.map((s) => [s, { description: ERROR_DESCRIPTIONS[s] ?? 'Error', schema: ErrorBody }]));
