/**
 * Open311 GeoReport v2 — the city's categories and cases as the open standard shows them (pure: no
 * storage, no HTTP). Each function returns the JSON form of one of the standard's documents; the
 * XML form is derived from it element by element (`shared/http/open311-response.ts`).
 */
import type { Case, CaseStatus } from '#shared/domain/cases/model';
import { maskContacts } from '#shared/domain/contact-masking';
import type { Category } from '#shared/domain/reference/category';

/** The specification's token, as discovery documents name it. */
export const GEOREPORT_V2 = 'http://wiki.open311.org/GeoReport_v2';

export type Open311Format = 'json' | 'xml';

/** A field of a document: omitted when undefined, written as `null` (JSON) or an empty element (XML). */
type Value = string | number | boolean | null | undefined | Value[] | { [name: string]: Value };

/** One of the standard's documents: its XML root element and its JSON body (a list or an object). */
export interface Open311Document {
  root: 'discovery' | 'services' | 'service_definition' | 'service_requests' | 'errors';
  body: Value[] | { [name: string]: Value };
}

/**
 * Open or closed, per case status. 【open】 is everything the city still works on; 【closed】 means
 * resolved — closed (结案) or not taken up (rejected).
 */
export const OPEN311_STATUS: Record<CaseStatus, 'open' | 'closed'> = {
  reported: 'open',
  filed: 'open',
  dispatched: 'open',
  handled: 'open',
  closed: 'closed',
  rejected: 'closed',
  // 挂账: parked, still the city's to solve. 作废: withdrawn, nothing more will happen.
  suspended: 'open',
  voided: 'closed',
  // 合并: the problem lives on in another request (told in status_notes).
  merged: 'closed',
};

/** The public note per status (`status_notes`): fixed texts, so no internal note can ever leak. */
export const STATUS_NOTES: Record<CaseStatus, (c: Case) => string> = {
  reported: () => '已收到，等待受理',
  filed: () => '已立案，等待派遣',
  dispatched: (c) => (c.assignment ? `已派遣至${c.assignment.departmentName}处置` : '已派遣处置'),
  handled: () => '已处置，等待核查',
  closed: () => '已处置完毕并结案',
  rejected: () => '未予立案',
  suspended: () => '已挂账，暂缓处置',
  voided: () => '已作废',
  merged: () => '与其他已反映的问题为同一问题，已合并处理',
};

/** 部件 / 事件: the two groups of the national classification (`group` of a service). */
export const GROUP_NAMES: Record<Category['group'], string> = { component: '部件', event: '事件' };

/**
 * Cases get their number (the `service_request_id`) when the command center files them, not when they
 * arrive: a new request answers a token, so every service is of type `batch` in the standard's terms.
 */
export const SERVICE_TYPE = 'batch';

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** W3C date-time with the city's offset: `2026-05-12T11:44:00+08:00` for `2026-05-12T03:44:00.000Z`. */
export function w3cDateTime(iso: string): string {
  const local = new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString();
  return `${local.slice(0, 19)}+08:00`;
}

/** Coordinates to 4 decimals (about 11 m): enough to find the problem, not a doorstep. */
export const round4 = (value: number) => Math.round(value * 10_000) / 10_000;


/** `GET /services`: one service per category of the catalogue. */
export function serviceList(categories: Iterable<Category>): Open311Document {
  const body = [...categories]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((c) => ({
      service_code: c.code,
      service_name: c.name,
      description: c.filingCriteria ?? `${GROUP_NAMES[c.group]} · ${c.majorClass} · ${c.name}`,
      metadata: false,
      type: SERVICE_TYPE,
      keywords: [c.majorClass, GROUP_NAMES[c.group]].join(', '),
      group: GROUP_NAMES[c.group],
    }));
  return { root: 'services', body };
}

/** `GET /services/{code}`: categories ask no extra questions yet, so every definition has no attributes. */
export function serviceDefinition(category: Category): Open311Document {
  return { root: 'service_definition', body: { service_code: category.code, attributes: [] } };
}

export interface DiscoveryFacts {
  /** The endpoint's base URL, e.g. `https://api.city.gov.cn/open311/v2`. */
  url: string;
  changeset: string;
  contact: string;
  keyService: string;
  type: 'production' | 'test';
}

/** `GET /discovery`: this one endpoint, both formats. */
export function discovery(facts: DiscoveryFacts): Open311Document {
  return {
    root: 'discovery',
    body: {
      changeset: facts.changeset,
      contact: facts.contact,
      key_service: facts.keyService,
      endpoints: [{ specification: GEOREPORT_V2, url: facts.url, changeset: facts.changeset, type: facts.type, formats: ['text/xml', 'application/json'] }],
    },
  };
}

/** Can the public see this case through Open311? Only cases the center has filed (they have a number). */
export const isPublic = (c: Case): c is Case & { caseNumber: string } => Boolean(c.caseNumber);

/**
 * One request as the public sees it: number, status, the fixed status note, category, description and
 * address (phone numbers, e-mail addresses and ID card numbers hidden), department, times and coordinates
 * to 4 decimals. Never the reporter, the hotline caller, staff names, internal notes or what a client
 * passed about its user.
 */
export function requestView(c: Case & { caseNumber: string }, options: { serviceNotice?: string | undefined; mediaUrl?: string | undefined } = {}) {
  return {
    service_request_id: c.caseNumber,
    status: OPEN311_STATUS[c.status],
    status_notes: STATUS_NOTES[c.status](c),
    service_name: c.categoryName,
    service_code: c.categoryCode,
    description: maskContacts(c.description),
    agency_responsible: c.assignment?.departmentName,
    service_notice: options.serviceNotice,
    requested_datetime: w3cDateTime(c.createdAt),
    updated_datetime: w3cDateTime(c.closedAt ?? c.updatedAt),
    expected_datetime: c.dueAt ? w3cDateTime(c.dueAt) : undefined,
    address: c.address === undefined ? undefined : maskContacts(c.address),
    lat: c.location ? round4(c.location.lat) : undefined,
    long: c.location ? round4(c.location.lng) : undefined,
    media_url: options.mediaUrl,
  };
}

/** What the city tells a reporter to expect for a category (`service_notice`). */
export const serviceNotice = (category: Category | undefined) =>
  category ? `按${category.name}处置时限 ${category.timeLimit.workingHours} 个工作小时办理（自派遣起计）` : '已收到，市数字城管指挥中心将在工作时间内受理';

export const requestsDocument = (body: Value[]): Open311Document => ({ root: 'service_requests', body });

/** The standard's error list: the HTTP status as `code`, a human-readable `description`. */
export const errorsDocument = (status: number, description: string): Open311Document => ({ root: 'errors', body: [{ code: status, description }] });
