import DataLoader from 'dataloader';
import { distributorsOf } from './graph/distribution.js';
import {
  entitiesByIds,
  entitiesByNames,
  entityNamed,
  type NameMatch,
  type RelationPage,
  type RelationQuery,
  relationsOf,
} from './graph/entities.js';
import { neighborhood, shortestPaths } from './graph/explore.js';
import { type ListOptions, listEntities } from './graph/filters.js';
import type { EntityPlan, NameRef } from './graph/projection.js';
import type { EntityRecord } from './graph/records.js';
import { type SearchOptions, searchEntities } from './graph/search.js';
import type { Db, Tx } from './neo4j/driver.js';

/**
 * What resolvers see of the graph for one request. Each question is one statement in one auto-commit read
 * (Db.readOne: one round trip). Loaders batch and cache per request only, so a field asked for on many parents
 * costs one statement, and no state outlives the request.
 */
export function createGraphContext(db: Db) {
  const entities = new DataLoader<string, EntityRecord | null>(async (ids) => {
    const found = await db.readOne((tx) => entitiesByIds(tx, ids));
    const byId = new Map(found.map((e) => [e.id, e]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const names = new DataLoader<string, NameMatch[]>(async (terms) => {
    const found = await db.readOne((tx) => entitiesByNames(tx, terms));
    return terms.map((t) => found.get(t) ?? []);
  });

  const relationLoaders = new Map<string, DataLoader<string, RelationPage>>();
  const relations = (query: RelationQuery) => {
    const key = JSON.stringify(query);
    let loader = relationLoaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, RelationPage>(async (ids) => {
        const pages = await db.readOne((tx) => relationsOf(tx, ids, query));
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
    list: (options: ListOptions, plan: EntityPlan) => db.readOne((tx) => listEntities(tx, options, plan)),
    /** The entity a name means, with the candidates for it, read as the plan asks: one statement. */
    entityNamed: (name: NameRef, plan: EntityPlan) => db.readOne((tx) => entityNamed(tx, name, plan)),
    distributors: (brand: NameRef, market: NameRef, plan: EntityPlan) =>
      db.readOne((tx) => distributorsOf(tx, brand, market, plan)),
    neighborhood: (
      start: NameRef,
      o: Parameters<typeof neighborhood>[2],
      plan: Parameters<typeof neighborhood>[3],
    ) => db.readOne((tx) => neighborhood(tx, start, o, plan)),
    paths: (
      ends: Parameters<typeof shortestPaths>[1],
      o: Parameters<typeof shortestPaths>[2],
      plan: Parameters<typeof shortestPaths>[3],
    ) => db.readOne((tx) => shortestPaths(tx, ends, o, plan)),
    search: (o: SearchOptions, plan: EntityPlan) => db.readOne((tx) => searchEntities(tx, o, plan)),
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
