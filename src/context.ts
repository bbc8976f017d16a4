import DataLoader from 'dataloader';
import { distributorsOf } from './graph/distribution.js';
import {
  entitiesByIds,
  entitiesByNames,
  type NameMatch,
  type RelationPage,
  type RelationQuery,
  relationsOf,
} from './graph/entities.js';
import { type ListOptions, listEntities } from './graph/filters.js';
import type { EntityRecord } from './graph/records.js';
import type { Db, Tx } from './neo4j/driver.js';

/**
 * What resolvers see of the graph for one request. Loaders batch and cache per request only, so a field
 * asked for on many parents costs one Cypher round trip, and no state outlives the request.
 */
export function createGraphContext(db: Db) {
  const entities = new DataLoader<string, EntityRecord | null>(async (ids) => {
    const found = await db.read((tx) => entitiesByIds(tx, ids));
    const byId = new Map(found.map((e) => [e.id, e]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const names = new DataLoader<string, NameMatch[]>(async (terms) => {
    const found = await db.read((tx) => entitiesByNames(tx, terms));
    return terms.map((t) => found.get(t) ?? []);
  });

  const relationLoaders = new Map<string, DataLoader<string, RelationPage>>();
  const relations = (query: RelationQuery) => {
    const key = JSON.stringify(query);
    let loader = relationLoaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, RelationPage>(async (ids) => {
        const pages = await db.read((tx) => relationsOf(tx, ids, query));
        return ids.map((id) => pages.get(id) ?? { totalCount: 0, rows: [] });
      });
      relationLoaders.set(key, loader);
    }
    return loader;
  };

  return {
    entity: (id: string) => entities.load(id),
    entitiesByName: (name: string) => names.load(name),
    relations: (id: string, query: RelationQuery) => relations(query).load(id),
    list: (options: ListOptions) => db.read((tx) => listEntities(tx, options)),
    distributors: (brandId: string, marketId: string) =>
      db.read((tx) => distributorsOf(tx, brandId, marketId)),
    /** Runs graph functions in one read transaction (for questions that need no batching across fields). */
    read: <T>(work: (tx: Tx) => Promise<T>) => db.read(work),
    /** Seeds the entity cache with records another query already returned. */
    prime(records: EntityRecord[]) {
      for (const r of records) entities.prime(r.id, r);
    },
  };
}

export type GraphContext = ReturnType<typeof createGraphContext>;

export interface Context {
  graph: GraphContext;
  requestId: string;
}
