/**
 * Writes Open311 GeoReport v2 documents as JSON or XML (the standard's required format) and the
 * standard's errors. XML is built by fast-xml-parser's XMLBuilder (escaping, empty elements) from the
 * JSON form: a list under `services`, `service_requests`, `errors`, `attributes`, `values`,
 * `endpoints` or `formats` becomes one child element per item, named as the standard names it.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { XMLBuilder } from 'fast-xml-parser';
import { errorsDocument, type Open311Document, type Open311Format } from '#shared/domain/open311/georeport';
import type { MappedError } from './error-mapper.ts';

/** The element of each item of a list, by the list's element (the Spark convention, reversed). */
export const XML_ITEM: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

export const CONTENT_TYPES: Record<Open311Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

const builder = new XMLBuilder({ format: false, suppressEmptyNode: true, processEntities: true });

// Characters XML 1.0 cannot carry at all (control characters other than tab, line feed, return).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** The XML tree of a JSON value: lists wrapped per {@link XML_ITEM}, `null` as an empty element. */
function toXmlTree(value: unknown, name: string): unknown {
  if (value === null) return '';
  if (Array.isArray(value)) {
    const item = XML_ITEM[name];
    if (!item) throw new Error(`No XML element for the items of ${name}`);
    return value.length === 0 ? '' : { [item]: value.map((v) => toXmlTree(v, item)) };
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toXmlTree(v, k)]),
    );
  }
  return typeof value === 'string' ? value.replace(NOT_XML, '') : value;
}

/** Drops undefined fields (JSON.stringify does too, but the XML side must agree). */
export function renderOpen311(document: Open311Document, format: Open311Format): string {
  if (format === 'json') return JSON.stringify(document.body);
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ [document.root]: toXmlTree(document.body, document.root) })}`;
}

/** The format a path asks for (`….xml` or `….json`); XML, the standard's required format, otherwise. */
export const formatOfPath = (path: string | undefined): Open311Format => (path?.endsWith('.json') ? 'json' : 'xml');

/** A document as the HTTP answer. */
export const open311Result = (status: number, document: Open311Document, format: Open311Format) => ({
  status,
  body: renderOpen311(document, format),
  headers: { 'content-type': CONTENT_TYPES[format] },
});

/**
 * Errors in the standard's shape, `[{ code, description }]` or `<errors><error>…`, with the HTTP status
 * as the code, in the format of the request's path (the one error mapping decides status and text).
 */
export function renderOpen311Error(mapped: MappedError, requestId: string, event: APIGatewayProxyEventV2): APIGatewayProxyStructuredResultV2 {
  const format = formatOfPath(event.pathParameters?.proxy ?? event.rawPath);
  const details = Array.isArray(mapped.details) ? mapped.details.map((d) => `${d.path}: ${d.message}`).join('; ') : undefined;
  const description = details ? `${mapped.message} (${details})` : mapped.message;
  return {
    statusCode: mapped.status,
    headers: { 'content-type': CONTENT_TYPES[format], 'x-request-id': requestId, ...mapped.headers },
    body: renderOpen311(errorsDocument(mapped.status, description), format),
  };
}
