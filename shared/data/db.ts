import { Service } from 'electrodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getConfig } from '#shared/config/index';
import { createDocumentClient } from './client.ts';
import { outboxMessageEntity } from './entities/outbox-message.ts';
import { caseEntity, caseEventEntity, caseFollowerEntity, fieldTaskEntity, caseSequenceEntity, dailyStatsEntity, hotlineTicketEntity, idempotencyEntity } from './entities/cases.ts';
import { effectEntity } from './entities/effect.ts';
import { apiKeyEntity } from './entities/open311.ts';
import { photoEntity } from './entities/photo.ts';
import { calendarYearEntity, categoryEntity, departmentEntity, gridEntity, referenceVersionEntity } from './entities/reference.ts';
import { phoneClaimEntity, rateCounterEntity, sessionEntity, smsCodeEntity, userEntity } from './entities/identity.ts';

/** Every ElectroDB entity of the single table, grouped in one Service (for cross-entity transactions). */
export function createDb(client: DynamoDBDocumentClient, table: string) {
  return new Service(
    {
      outboxMessage: outboxMessageEntity(client, table),
      user: userEntity(client, table),
      phoneClaim: phoneClaimEntity(client, table),
      smsCode: smsCodeEntity(client, table),
      rateCounter: rateCounterEntity(client, table),
      session: sessionEntity(client, table),
      department: departmentEntity(client, table),
      category: categoryEntity(client, table),
      grid: gridEntity(client, table),
      referenceVersion: referenceVersionEntity(client, table),
      calendarYear: calendarYearEntity(client, table),
      case: caseEntity(client, table),
      caseEvent: caseEventEntity(client, table),
      caseSequence: caseSequenceEntity(client, table),
      caseFollower: caseFollowerEntity(client, table),
      fieldTask: fieldTaskEntity(client, table),
      idempotency: idempotencyEntity(client, table),
      dailyStats: dailyStatsEntity(client, table),
      photo: photoEntity(client, table),
      hotlineTicket: hotlineTicketEntity(client, table),
      effect: effectEntity(client, table),
      apiKey: apiKeyEntity(client, table),
    },
    { client, table },
  );
}

export type Db = ReturnType<typeof createDb>;

let cached: Db | undefined;

/** The container's Db, built once from the configuration (module-scope client, reused by every call). */
export function getDb(): Db {
  if (!cached) {
    const config = getConfig();
    cached = createDb(
      createDocumentClient({ region: config.AWS_REGION, ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}) }),
      config.TABLE_NAME,
    );
  }
  return cached;
}
