/** Duplicates: one problem, many reports — similar cases, "me too" before reporting (merging is a lifecycle step). */
import { errors, type RouteSpec } from './route-spec.ts';
import { CaseParams } from '#shared/schemas/cases';
import { NearbyBody, NearbyQuery, SimilarBody, SimilarQuery, SupportBody } from '#shared/schemas/duplicates';

export const listSimilarCases = {
  method: 'GET',
  path: '/v1/cases/{id}/similar',
  handler: 'functions/cases/similar-cases.ts',
  access: ['agent', 'dispatcher'],
  summary: '疑似重复 — open cases within `radius` metres reported in the last 30 days: same category first, nearest first',
  tag: 'Duplicates',
  request: { params: CaseParams, query: SimilarQuery },
  responses: { 200: { description: 'Similar cases', schema: SimilarBody }, ...errors(400, 401, 403, 404) },
} as const satisfies RouteSpec;

export const listNearbyCases = {
  method: 'GET',
  path: '/v1/cases/nearby',
  handler: 'functions/cases/nearby-cases.ts',
  access: ['citizen'],
  summary: '附近案件 — open filed cases near a point, before reporting ("me too"); no descriptions, photos or people',
  tag: 'Duplicates',
  request: { query: NearbyQuery },
  responses: { 200: { description: 'Nearby cases, nearest first', schema: NearbyBody }, ...errors(400, 401, 403) },
} as const satisfies RouteSpec;

export const supportCase = {
  method: 'POST',
  path: '/v1/cases/{id}/support',
  handler: 'functions/cases/support-case.ts',
  access: ['citizen'],
  summary: '我也遇到 — "me too": once per person (a repeat counts nothing); the supporter is texted when the case closes',
  tag: 'Duplicates',
  request: { params: CaseParams },
  responses: { 200: { description: 'The case\'s supporter count', schema: SupportBody }, ...errors(401, 403, 404, 409) },
  needs: { table: 'readWrite' },
} as const satisfies RouteSpec;
