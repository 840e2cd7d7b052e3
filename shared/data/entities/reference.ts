import { Entity } from 'electrodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEPARTMENT_TYPES } from '#shared/domain/reference/departments';

const service = 'citygrid';

/**
 * Reference data lives in one partition per kind (tens to a few thousand small items): a list is one
 * paginated Query, never a Scan, and functions cache it per container.
 */
export const departmentEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'department', version: '1', service },
      attributes: {
        id: { type: 'string', required: true },
        name: { type: 'string', required: true },
        parentId: { type: 'string' },
        type: { type: DEPARTMENT_TYPES, required: true },
        level: { type: 'number', required: true },
        gridIds: { type: 'list', items: { type: 'string' }, required: true },
        updatedAt: { type: 'string', required: true },
      },
      indexes: { all: { pk: { field: 'pk', composite: [] }, sk: { field: 'sk', composite: ['id'] } } },
    },
    { client, table },
  );

export const categoryEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'category', version: '1', service },
      attributes: {
        code: { type: 'string', required: true },
        name: { type: 'string', required: true },
        group: { type: ['component', 'event'] as const, required: true },
        majorClass: { type: 'string', required: true },
        workingHours: { type: 'number', required: true },
        /** Urgent cases' limit in clock hours (absent: the working-hour figure, counted in clock hours). */
        urgentHours: { type: 'number' },
        defaultDepartmentId: { type: 'string' },
        filingCriteria: { type: 'string' },
        closingCriteria: { type: 'string' },
        updatedAt: { type: 'string', required: true },
      },
      indexes: { all: { pk: { field: 'pk', composite: [] }, sk: { field: 'sk', composite: ['code'] } } },
    },
    { client, table },
  );

export const gridEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'grid', version: '1', service },
      attributes: {
        id: { type: 'string', required: true },
        name: { type: 'string', required: true },
        community: { type: 'string', required: true },
        communityCode: { type: 'string' },
        street: { type: 'string', required: true },
        streetCode: { type: 'string' },
        district: { type: 'string', required: true },
        districtCode: { type: 'string' },
        /** GeoJSON geometry as JSON text: kept exactly as given, and cheaper than nested lists of numbers. */
        geometry: { type: 'string', required: true },
        updatedAt: { type: 'string', required: true },
      },
      indexes: { all: { pk: { field: 'pk', composite: [] }, sk: { field: 'sk', composite: ['id'] } } },
    },
    { client, table },
  );

/** A year of the working calendar: its holidays and make-up working days (the rest of the calendar is code). */
export const calendarYearEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'calendarYear', version: '1', service },
      attributes: {
        year: { type: 'number', required: true },
        holidays: { type: 'list', items: { type: 'string' }, required: true },
        workdays: { type: 'list', items: { type: 'string' }, required: true },
        updatedAt: { type: 'string', required: true },
      },
      indexes: { all: { pk: { field: 'pk', composite: [] }, sk: { field: 'sk', composite: ['year'] } } },
    },
    { client, table },
  );

/** One counter per reference kind, bumped in the same transaction as every change of that kind. */
export const referenceVersionEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'referenceVersion', version: '1', service },
      attributes: {
        kind: { type: ['departments', 'categories', 'grids', 'calendar'] as const, required: true },
        version: { type: 'number' },
      },
      indexes: { byKind: { pk: { field: 'pk', composite: ['kind'] }, sk: { field: 'sk', composite: [] } } },
    },
    { client, table },
  );
