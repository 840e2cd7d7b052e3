import { Entity } from 'electrodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CASE_STATUSES, CHANNELS, PRIORITIES } from '#shared/domain/cases/model';
import { COUNTERS, type Counter } from '#shared/domain/cases/ports';

const service = 'citygrid';

/**
 * A case and its timeline share one partition (collection `caseDetail`): the case detail with its whole
 * timeline is ONE Query. Secondary indexes serve the lists: the reporter's cases newest first (gsi1),
 * the status queue oldest first (gsi2), a department's queue by status (gsi3, sparse: only
 * assigned cases carry it), the lookup by case number (gsi4, sparse: filed cases only), every case by
 * the time it was reported (gsi6) and urgent cases by status (gsi7, sparse: only urgent cases carry
 * it), read before the status queue so that urgent cases come first.
 */
export const caseEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'case', version: '1', service },
      attributes: {
        caseId: { type: 'string', required: true },
        caseNumber: { type: 'string' },
        status: { type: CASE_STATUSES, required: true },
        channel: { type: CHANNELS, required: true },
        description: { type: 'string', required: true },
        location: { type: 'any' },
        address: { type: 'string' },
        gridId: { type: 'string' },
        gridName: { type: 'string' },
        district: { type: 'string' },
        categoryCode: { type: 'string' },
        categoryName: { type: 'string' },
        reporterId: { type: 'string' },
        callerPhone: { type: 'string' },
        /** Hotline cases: when the 12345 system took the call (the citizen's SMS quotes its date). */
        receivedAt: { type: 'string' },
        hotlineTicketId: { type: 'string' },
        /** Open311 cases: what the client passed (contact, account, media link, attributes); staff only. */
        submission: { type: 'any' },
        /** The UTC month of `createdAt` (`2026-05`): the partition of the reported-by-date index. */
        reportedMonth: { type: 'string', required: true },
        /** `reporterId`, or `-` when there is none (hotline), so the reporter index stays total. */
        reporterKey: { type: 'string', required: true },
        assignment: { type: 'any' },
        /** The assigned department, or `-` when unassigned (then the department index skips the item). */
        assignedDepartmentId: { type: 'string', required: true },
        dispatchPath: { type: 'list', items: { type: 'string' }, required: true },
        firstDispatchedAt: { type: 'string' },
        filedBy: { type: 'string' },
        filedAt: { type: 'string' },
        heldSince: { type: 'string' },
        lastDispatch: { type: 'any' },
        dueAt: { type: 'string' },
        priority: { type: PRIORITIES },
        clockStartedAt: { type: 'string' },
        clockStartLevel: { type: 'number' },
        remainingHours: { type: 'number' },
        pendingRequest: { type: 'any' },
        extensionCount: { type: 'number' },
        supervisionCount: { type: 'number' },
        escalationLevel: { type: 'number', required: true },
        timerSeq: { type: 'number' },
        warnedAt: { type: 'string' },
        overdueSince: { type: 'string' },
        escalatedAt: { type: 'string' },
        reworkCount: { type: 'number', required: true },
        rejectReason: { type: 'string' },
        duplicateOf: { type: 'string' },
        rating: { type: 'any' },
        beforePhotoKeys: { type: 'list', items: { type: 'string' }, required: true },
        afterPhotoKeys: { type: 'list', items: { type: 'string' }, required: true },
        createdAt: { type: 'string', required: true },
        updatedAt: { type: 'string', required: true },
        closedAt: { type: 'string' },
        completedAt: { type: 'string' },
        version: { type: 'number', required: true },
        eventCount: { type: 'number', required: true },
        // — Duplicates —
        mergedInto: { type: 'string' },
        supporterCount: { type: 'number' },
        followerTicketIds: { type: 'list', items: { type: 'string' } },
        /** Open cases with a location: their geohash; otherwise `-` (then the nearness index skips the item). */
        geohash: { type: 'string', required: true },
        /** The geohash's first characters (the nearness index's partition), or `-`. */
        geoArea: { type: 'string', required: true },
        // — Field checks —
        fieldCheck: { type: 'any' },
      },
      indexes: {
        byId: { collection: 'caseDetail', pk: { field: 'pk', composite: ['caseId'] }, sk: { field: 'sk', composite: [] } },
        byReporter: { index: 'gsi1', pk: { field: 'gsi1pk', composite: ['reporterKey'] }, sk: { field: 'gsi1sk', composite: ['createdAt', 'caseId'] } },
        byStatus: { index: 'gsi2', pk: { field: 'gsi2pk', composite: ['status'] }, sk: { field: 'gsi2sk', composite: ['createdAt', 'caseId'] } },
        byDepartment: {
          index: 'gsi3',
          pk: { field: 'gsi3pk', composite: ['assignedDepartmentId'] },
          sk: { field: 'gsi3sk', composite: ['status', 'createdAt', 'caseId'] },
          condition: (attributes) => Boolean(attributes.assignedDepartmentId) && attributes.assignedDepartmentId !== '-',
        },
        /** A case by its number (`GET /v1/cases?caseNumber=`; sparse: only filed cases have one). */
        byNumber: {
          index: 'gsi4',
          pk: { field: 'gsi4pk', composite: ['caseNumber'] },
          sk: { field: 'gsi4sk', composite: [] },
          condition: (attributes) => Boolean(attributes.caseNumber),
        },
        urgentByStatus: {
          index: 'gsi7',
          pk: { field: 'gsi7pk', composite: ['status'] },
          sk: { field: 'gsi7sk', composite: ['createdAt', 'caseId'] },
          condition: (attributes) => attributes.priority === 'urgent',
        },
        /**
         * Cases by the time they were reported (gsi6): one partition per UTC month, sorted by `createdAt`,
         * so a date window of up to 90 days is at most four Queries (Open311 lists, exports by date).
         */
        byReported: { index: 'gsi6', pk: { field: 'gsi6pk', composite: ['reportedMonth'] }, sk: { field: 'gsi6sk', composite: ['createdAt', 'caseId'] } },
        /** Open cases by geohash (gsi5, sparse): a run of consecutive cells is one Query, `between` on the sort key (shared/domain/geo/nearness.ts). */
        byGeoCell: {
          index: 'gsi5',
          pk: { field: 'gsi5pk', composite: ['geoArea'] },
          sk: { field: 'gsi5sk', composite: ['geohash', 'caseId'] },
          condition: (attributes) => Boolean(attributes.geoArea) && attributes.geoArea !== '-',
        },
      },
    },
    { client, table },
  );

/**
 * Who follows a case besides its reporter ("me too" supporters, reporters of merged cases): one item
 * each, created conditionally, so a person supports a case once. Same partition as the case, outside
 * the `caseDetail` collection (the case detail does not read them).
 */
export const caseFollowerEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'caseFollower', version: '1', service },
      attributes: {
        caseId: { type: 'string', required: true },
        followerKey: { type: 'string', required: true },
        follower: { type: 'any', required: true },
        via: { type: ['support', 'merge'] as const, required: true },
        at: { type: 'string', required: true },
      },
      indexes: { byCase: { pk: { field: 'pk', composite: ['caseId'] }, sk: { field: 'sk', composite: ['followerKey'] } } },
    },
    { client, table },
  );

/**
 * A supervisor's open field check (核实/核查): one item per case while the check is open, written and
 * deleted in the case's own transactions. gsi4: the supervisor's tasks by due time (`GET /v1/me/tasks`).
 */
export const fieldTaskEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'fieldTask', version: '1', service },
      attributes: {
        caseId: { type: 'string', required: true },
        supervisorId: { type: 'string', required: true },
        kind: { type: ['verify-report', 'check-result'] as const, required: true },
        dueAt: { type: 'string', required: true },
      },
      indexes: {
        byCase: { pk: { field: 'pk', composite: ['caseId'] }, sk: { field: 'sk', composite: [] } },
        bySupervisor: { index: 'gsi4', pk: { field: 'gsi4pk', composite: ['supervisorId'] }, sk: { field: 'gsi4sk', composite: ['dueAt', 'caseId'] } },
      },
    },
    { client, table },
  );

export const caseEventEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'caseEvent', version: '1', service },
      attributes: {
        caseId: { type: 'string', required: true },
        seq: { type: 'number', required: true, padding: { length: 5, char: '0' } },
        at: { type: 'string', required: true },
        action: { type: 'string', required: true },
        fromStatus: { type: 'string' },
        toStatus: { type: 'string', required: true },
        actor: { type: 'any', required: true },
        note: { type: 'string' },
        internal: { type: 'boolean', required: true },
        departmentId: { type: 'string' },
        departmentName: { type: 'string' },
        assigneeId: { type: 'string' },
        assigneeName: { type: 'string' },
        photoKeys: { type: 'list', items: { type: 'string' } },
        escalationLevel: { type: 'number' },
        requestKind: { type: 'string' },
        hours: { type: 'number' },
        relatedCaseId: { type: 'string' },
        relatedCaseNumber: { type: 'string' },
      },
      indexes: {
        bySeq: { collection: 'caseDetail', pk: { field: 'pk', composite: ['caseId'] }, sk: { field: 'sk', composite: ['seq'] } },
      },
    },
    { client, table },
  );

/** Per-year case number counter (【2026】字第【123】号). */
export const caseSequenceEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'caseSequence', version: '1', service },
      attributes: { year: { type: 'number', required: true }, value: { type: 'number' } },
      indexes: { byYear: { pk: { field: 'pk', composite: ['year'] }, sk: { field: 'sk', composite: [] } } },
    },
    { client, table },
  );

/** A creation's Idempotency-Key, per caller: the body's hash and the case it created (TTL 24 h). */
export const idempotencyEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'idempotency', version: '1', service },
      attributes: {
        callerId: { type: 'string', required: true },
        key: { type: 'string', required: true },
        bodyHash: { type: 'string', required: true },
        caseId: { type: 'string', required: true },
        expiresAt: { type: 'number', required: true },
      },
      indexes: { byKey: { pk: { field: 'pk', composite: ['callerId', 'key'] }, sk: { field: 'sk', composite: [] } } },
    },
    { client, table },
  );

/** Per day × scope counters, written in the same transaction as each transition (statistics read them). */
export const dailyStatsEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'dailyStats', version: '1', service },
      attributes: {
        scope: { type: 'string', required: true },
        day: { type: 'string', required: true },
        ...Object.fromEntries(COUNTERS.map((name) => [name, { type: 'number' as const }])) as Record<Counter, { type: 'number' }>,
      },
      indexes: { byScope: { pk: { field: 'pk', composite: ['scope'] }, sk: { field: 'sk', composite: ['day'] } } },
    },
    { client, table },
  );

/** One item per 12345 ticket id: claimed in the same transaction as its case (dedupe of repeats and replays). */
export const hotlineTicketEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'hotlineTicket', version: '1', service },
      attributes: {
        ticketId: { type: 'string', required: true },
        caseId: { type: 'string', required: true },
        webhookId: { type: 'string', required: true },
        receivedAt: { type: 'string', required: true },
        /** SHA-256 of the ticket as first received: the same ticketId with another body is a 409. */
        bodyHash: { type: 'string' },
      },
      indexes: { byTicket: { pk: { field: 'pk', composite: ['ticketId'] }, sk: { field: 'sk', composite: [] } } },
    },
    { client, table },
  );
