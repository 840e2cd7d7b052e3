import { Entity } from 'electrodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ROLES } from '#shared/domain/roles';

const service = 'citygrid';

/** A person who can log in: citizen or staff. Looked up by id; the phone claim finds it by phone. */
export const userEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'user', version: '1', service },
      attributes: {
        id: { type: 'string', required: true },
        phone: { type: 'string', required: true },
        displayName: { type: 'string', required: true },
        roles: { type: 'set', items: ROLES, required: true },
        departmentId: { type: 'string' },
        /** `departmentId`, or `-` for citizens (then the department index skips the item). */
        departmentKey: { type: 'string', required: true },
        status: { type: ['active', 'disabled'] as const, required: true },
        /** Bumped to end every refresh-token family of the user at once (disable, roles taken away). */
        sessionEpoch: { type: 'number' },
        /** Staff: the grids the person patrols. */
        gridIds: { type: 'list', items: { type: 'string' } },
        createdAt: { type: 'string', required: true, readOnly: true },
      },
      indexes: {
        byId: { pk: { field: 'pk', composite: ['id'] }, sk: { field: 'sk', composite: [] } },
        /** Staff of a department (sparse: citizens have no department). Warnings and escalations use it. */
        byDepartment: {
          index: 'gsi1',
          pk: { field: 'gsi1pk', composite: ['departmentKey'] },
          sk: { field: 'gsi1sk', composite: ['id'] },
          condition: (attributes) => Boolean(attributes.departmentKey) && attributes.departmentKey !== '-',
        },
        /**
         * The staff directory (`GET /v1/staff`): every staff member in one partition, by name (sparse:
         * citizens are left out). Thousands of staff at most, read a page at a time.
         */
        staffDirectory: {
          index: 'gsi4',
          pk: { field: 'gsi4pk', composite: [] },
          sk: { field: 'gsi4sk', composite: ['displayName', 'id'] },
          condition: (attributes) => Boolean(attributes.departmentKey) && attributes.departmentKey !== '-',
        },
      },
    },
    { client, table },
  );

/**
 * A refresh-token family (one login on one device): only the SHA-256 of its current token, rotated on
 * every use. A token of the family that is not the current one is a replay: the family is revoked.
 */
export const sessionEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'session', version: '1', service },
      attributes: {
        familyId: { type: 'string', required: true },
        userId: { type: 'string', required: true },
        tokenHash: { type: 'string', required: true },
        /** The user's `sessionEpoch` when the family began; a later epoch ends the family. */
        epoch: { type: 'number', required: true },
        revoked: { type: 'boolean', required: true },
        createdAt: { type: 'string', required: true },
        rotatedAt: { type: 'string' },
        /** Epoch seconds: the current token's end (30 days after it was issued); also the TTL. */
        expiresAt: { type: 'number', required: true },
      },
      indexes: { byFamily: { pk: { field: 'pk', composite: ['familyId'] }, sk: { field: 'sk', composite: [] } } },
    },
    { client, table },
  );

/** One account per phone: this item is created in the same transaction as the user, conditionally. */
export const phoneClaimEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'phoneClaim', version: '1', service },
      attributes: {
        phone: { type: 'string', required: true },
        userId: { type: 'string', required: true },
      },
      indexes: {
        byPhone: { pk: { field: 'pk', composite: ['phone'] }, sk: { field: 'sk', composite: [] } },
      },
    },
    { client, table },
  );

/** The current SMS code of a phone for a purpose: only its keyed hash, tries, use and expiry. */
export const smsCodeEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'smsCode', version: '1', service },
      attributes: {
        phone: { type: 'string', required: true },
        purpose: { type: ['register', 'login'] as const, required: true },
        codeHash: { type: 'string', required: true },
        attempts: { type: 'number', required: true },
        used: { type: 'boolean', required: true },
        /** Epoch seconds of the send (resend cooldown). */
        sentAt: { type: 'number', required: true },
        /** Epoch seconds; also the table's TTL attribute. */
        expiresAt: { type: 'number', required: true },
      },
      indexes: {
        byPhone: { pk: { field: 'pk', composite: ['phone', 'purpose'] }, sk: { field: 'sk', composite: [] } },
      },
    },
    { client, table },
  );

/** A fixed-window counter (per phone or IP per hour), incremented with a condition, never read-modify-write. */
export const rateCounterEntity = (client: DynamoDBDocumentClient, table: string) =>
  new Entity(
    {
      model: { entity: 'rateCounter', version: '1', service },
      attributes: {
        scope: { type: 'string', required: true },
        key: { type: 'string', required: true },
        window: { type: 'number', required: true },
        count: { type: 'number' },
        expiresAt: { type: 'number' },
      },
      indexes: {
        byKey: { pk: { field: 'pk', composite: ['scope', 'key', 'window'] }, sk: { field: 'sk', composite: [] } },
      },
    },
    { client, table },
  );
