import { Service, type Entity } from 'electrodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getConfig } from '#shared/config/index';
import { createDocumentClient } from './client.ts';
import './model-validation.ts'; // jsonschema's URL resolution remembered: entities build about twice as fast
import { outboxMessageEntity } from './entities/outbox-message.ts';
import { caseEntity, caseEventEntity, caseFollowerEntity, fieldTaskEntity, caseSequenceEntity, dailyStatsEntity, hotlineTicketEntity, idempotencyEntity } from './entities/cases.ts';
import { effectEntity } from './entities/effect.ts';
import { apiKeyEntity } from './entities/open311.ts';
import { photoEntity } from './entities/photo.ts';
import { calendarYearEntity, categoryEntity, departmentEntity, gridEntity, referenceVersionEntity } from './entities/reference.ts';
import { phoneClaimEntity, rateCounterEntity, sessionEntity, smsCodeEntity, userEntity } from './entities/identity.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEntity = Entity<any, any, any, any>;
/** How an entity of the single table is built (the functions of `./entities/`). */
export type EntityFactory = (client: DynamoDBDocumentClient, table: string) => AnyEntity;
/** The entities a store works with, by the names its code uses (the same names everywhere). */
export type EntityFactories = Record<string, EntityFactory>;
export type EntitiesOf<F extends EntityFactories> = { [K in keyof F]: ReturnType<F[K]> };

/**
 * What a store reads and writes through: its entities, and for transactions a Service of them (ElectroDB
 * writes a transaction only across the entities of one Service). A Service of more entities fits too:
 * tests and the CLI pass the whole table's {@link createDb}. (A store that reads a collection types the
 * part it uses itself: ElectroDB types a collection's `where` over every entity of the Service.)
 */
export type DbOf<F extends EntityFactories> = Pick<Service<EntitiesOf<F>>, 'entities' | 'transaction'>;
export type LazyDb<F extends EntityFactories> = DbOf<F> & Pick<Service<EntitiesOf<F>>, 'collections'>;

/** Every ElectroDB entity of the single table. */
export const ALL_ENTITIES = {
  outboxMessage: outboxMessageEntity,
  user: userEntity,
  phoneClaim: phoneClaimEntity,
  smsCode: smsCodeEntity,
  rateCounter: rateCounterEntity,
  session: sessionEntity,
  department: departmentEntity,
  category: categoryEntity,
  grid: gridEntity,
  referenceVersion: referenceVersionEntity,
  calendarYear: calendarYearEntity,
  case: caseEntity,
  caseEvent: caseEventEntity,
  caseSequence: caseSequenceEntity,
  caseFollower: caseFollowerEntity,
  fieldTask: fieldTaskEntity,
  idempotency: idempotencyEntity,
  dailyStats: dailyStatsEntity,
  photo: photoEntity,
  hotlineTicket: hotlineTicketEntity,
  effect: effectEntity,
  apiKey: apiKeyEntity,
} satisfies EntityFactories;

/** A Service of the given entities on one table. */
export function createService<F extends EntityFactories>(client: DynamoDBDocumentClient, table: string, factories: F): Service<EntitiesOf<F>> {
  const entities = Object.fromEntries(Object.entries(factories).map(([name, factory]) => [name, factory(client, table)])) as EntitiesOf<F>;
  return new Service(entities, { client, table });
}

/** Every entity of the single table in one Service (tests, the CLI, the local platform's tools). */
export function createDb(client: DynamoDBDocumentClient, table: string) {
  return createService(client, table, ALL_ENTITIES);
}

export type Db = ReturnType<typeof createDb>;

/**
 * A store's entities, each built when first used (an ElectroDB entity validates its model when built,
 * which costs milliseconds per entity), and their Service when the store first writes a transaction
 * or reads a collection. `entityOf` builds (or reuses) one entity.
 */
export function lazyDb<F extends EntityFactories>(factories: F, entityOf: (factory: EntityFactory) => AnyEntity, connection: () => { client: DynamoDBDocumentClient; table: string }): LazyDb<F> {
  let service: Service<EntitiesOf<F>> | undefined;
  const entities = {} as EntitiesOf<F>;
  for (const [name, factory] of Object.entries(factories)) {
    Object.defineProperty(entities, name, { enumerable: true, get: () => entityOf(factory) });
  }
  const whole = () => {
    if (!service) {
      const { client, table } = connection();
      service = new Service({ ...entities }, { client, table });
    }
    return service;
  };
  return {
    entities,
    get collections() {
      return whole().collections;
    },
    get transaction() {
      return whole().transaction;
    },
  };
}

let connection: { client: DynamoDBDocumentClient; table: string } | undefined;

/** The container's document client (module scope, reused by every call) and table, from the configuration. */
function containerTable() {
  if (!connection) {
    const config = getConfig();
    connection = {
      client: createDocumentClient({ region: config.AWS_REGION, ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}) }),
      table: config.TABLE_NAME,
    };
  }
  return connection;
}

/** The container's entities, one instance each, shared by its stores (and joined into their Services). */
const containerEntities = new Map<EntityFactory, AnyEntity>();
const containerEntity = (factory: EntityFactory) => {
  let entity = containerEntities.get(factory);
  if (!entity) {
    const { client, table } = containerTable();
    containerEntities.set(factory, (entity = factory(client, table)));
  }
  return entity;
};

const containerDbs = new WeakMap<EntityFactories, unknown>();

/**
 * A store's Db in this container: only the entities the store names, each built at first use. A
 * function builds the entities its requests touch, not the table's twenty-odd (a faster cold start).
 */
export function getDb<F extends EntityFactories>(factories: F): LazyDb<F> {
  let db = containerDbs.get(factories) as LazyDb<F> | undefined;
  if (!db) containerDbs.set(factories, (db = lazyDb(factories, containerEntity, containerTable)));
  return db;
}
