import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '#shared/domain/errors';
import { isFormContentType, parseForm } from './form-body.ts';

/** What the JSON body middleware read from an event. */
export interface ParsedBody {
  rawBody?: string;
  /** The parsed body: JSON, or a form's fields on routes whose `bodyFormat` is `form`. */
  json?: unknown;
}

const parsedBodies = new WeakMap<object, ParsedBody>();

/** The body the middleware read from this event (empty when there was none). */
export const parsedBodyOf = (event: object): ParsedBody => parsedBodies.get(event) ?? {};

/**
 * Reads the body once: enforces the size limit (413), keeps the raw text (signed webhooks need the exact
 * bytes) and parses JSON (malformed → 400 VALIDATION_FAILED, as the contract says; middy's own parser
 * answers 415 there) or, on `form` routes, a URL-encoded form (another content type → 415). A body on a
 * route that takes none is ignored; a missing body stays `undefined` so that the route's schema reports it.
 */
export function jsonBody(options: { maxBytes: number; parse: boolean; format?: 'json' | 'form' | undefined }): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: async (request) => {
      const { body, isBase64Encoded, headers } = request.event;
      if (body === undefined || body === null || body === '') return;
      const raw = isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
      if (raw.byteLength > options.maxBytes) {
        throw new PayloadTooLargeError(`The body is ${raw.byteLength} bytes; this route accepts at most ${options.maxBytes}`, { id: 'request.too-large', params: { max: options.maxBytes } });
      }
      const text = raw.toString('utf8');
      const parsed: ParsedBody = { rawBody: text };
      if (options.parse && options.format === 'form') {
        if (!isFormContentType(headers?.['content-type'] ?? '')) throw new UnsupportedMediaTypeError('Content-Type must be application/x-www-form-urlencoded');
        parsed.json = parseForm(text);
      } else if (options.parse) {
        const contentType = headers?.['content-type'] ?? '';
        if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType)) throw new UnsupportedMediaTypeError();
        try {
          parsed.json = JSON.parse(text);
        } catch {
          throw new ValidationError('The body is not valid JSON', [{ path: 'body', message: 'Malformed JSON' }], { id: 'request.bad-json' });
        }
      }
      parsedBodies.set(request.event, parsed);
    },
  };
}
