import DataLoader from 'dataloader';
import { exportText } from './facts/export.js';
import { listChanges } from './graph/changes.js';
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
import { type HopFilter, neighborhood, shortestPaths } from './graph/explore.js';
import { type ListOptions, listEntities } from './graph/filters.js';
import { listApiKeys } from './graph/keys.js';
import type { EntityKind, FactStatus } from './graph/model.js';
import {
  type EdgePlan,
  type EntityPlan,
  type NameRef,
  type ProjectedEntity,
  wholeEntity,
} from './graph/projection.js';
import type { EntityRecord } from './graph/records.js';
import { type SearchOptions, searchEntities, suggestNames } from './graph/search.js';
import {
  countEntitiesByKind,
  countRelationships,
  distributionByMarket,
  productsByDistributor,
} from './graph/stats.js';
import type { Scope } from './keys/key.js';
import type { Db } from './neo4j/driver.js';
import type { Writes } from './writes.js';

/** What a question reads of the entities and the edges it returns (a subgraph, paths). */
export interface GraphPlan {
  nodes: EntityPlan;
  edges: EdgePlan;
}

/**
 * What resolvers see of the graph for one request: one method per question, each one statement in one
 * auto-commit read (Db.readOne: one round trip). Loaders batch and cache per request only, so a field asked
 * for on many parents costs one statement, and no state outlives the request. Every whole entity a question
 * returns seeds the entity loader, so a later lookup of it by id reads nothing; a projection of only some
 * properties does not.
 */
export function createGraphContext(db: Db) {
  const entities = new DataLoader<string, EntityRecord | null>(async (ids) => {
    const found = await db.readOne((tx) => entitiesByIds(tx, ids));
    return ids.map((id) => found.get(id) ?? null);
  });

  const prime = (records: Iterable<EntityRecord>) => {
    for (const r of records) entities.prime(r.id, r);
  };
  const primeProjected = (records: Iterable<ProjectedEntity | null>, plan: EntityPlan) => {
    if (plan.props !== 'all') return;
    for (const r of records) {
      const whole = r && wholeEntity(r, plan);
      if (whole) entities.prime(whole.id, whole);
    }
  };

  const names = new DataLoader<string, NameMatch[]>(async (terms) => {
    const found = await db.readOne((tx) => entitiesByNames(tx, terms));
    return terms.map((t) => found.get(t) ?? []);
  });

  // Keyed by kind and term: a name that means nothing under many parents is searched for once.
  const suggestions = new DataLoader<{ term: string; kind: EntityKind | null }, string[], string>(
    (asked) =>
      Promise.all(asked.map((a) => db.readOne((tx) => suggestNames(tx, a.term, a.kind ? [a.kind] : null)))),
    { cacheKeyFn: (a) => `${a.kind ?? ''}|${a.term}` },
  );

  const relationLoaders = new Map<string, DataLoader<string, RelationPage>>();
  const relations = (query: RelationQuery) => {
    const key = JSON.stringify(query);
    let loader = relationLoaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, RelationPage>(async (ids) => {
        const pages = await db.readOne((tx) => relationsOf(tx, ids, query));
        for (const page of pages.values()) prime(page.rows.map((row) => row.node));
        return ids.map((id) => pages.get(id) ?? { totalCount: 0, rows: [] });
      });
      relationLoaders.set(key, loader);
    }
    return loader;
  };

  return {
    /** An entity by its key; null when there is none. */
    entity: (id: string) => entities.load(id),
    /** Entities by their keys, in the same order; null for a key that names none. */
    entities: (ids: readonly string[]) => Promise.all(ids.map((id) => entities.load(id))),
    /** Every entity a name or alias can mean, with whether its own name is it. */
    entitiesByName: (name: string) => names.load(name),
    /** The entity a name means, with the candidates for it, read as the plan asks. */
    async entityNamed(name: NameRef, plan: EntityPlan) {
      const found = await db.readOne((tx) => entityNamed(tx, name, plan));
      primeProjected([found.entity], plan);
      return found;
    },
    /** One page of an entity's relationships of one type and direction, with the total. */
    relations: (id: string, query: RelationQuery) => relations(query).load(id),
    /** A page of a list (companies, products, markets), filtered and ordered, names of the filter looked up. */
    async list(options: ListOptions, plan: EntityPlan) {
      const page = await db.readOne((tx) => listEntities(tx, options, plan));
      primeProjected(
        page.items.map((i) => i.entity),
        plan,
      );
      return page;
    },
    /** Companies distributing the brand's products in the market, both names looked up. */
    async distributors(brand: NameRef, market: NameRef, plan: EntityPlan, statuses: readonly FactStatus[]) {
      const found = await db.readOne((tx) => distributorsOf(tx, brand, market, plan, statuses));
      primeProjected(found.companies, plan);
      return found;
    },
    /** What surrounds the entity a name means, for a graph view. */
    async neighborhood(
      start: NameRef,
      options: HopFilter & { depth: number; limit: number },
      plan: GraphPlan,
    ) {
      const found = await db.readOne((tx) => neighborhood(tx, start, options, plan));
      primeProjected(found.subgraph?.nodes ?? [], plan.nodes);
      return found;
    },
    /** Shortest paths between the entities two names mean. */
    async paths(
      ends: { from: NameRef; to: NameRef },
      options: HopFilter & { maxHops: number; first: number },
      plan: GraphPlan,
    ) {
      const found = await db.readOne((tx) => shortestPaths(tx, ends, options, plan));
      primeProjected(
        found.paths.flatMap((p) => p.nodes),
        plan.nodes,
      );
      return found;
    },
    /** The names a term that means no entity (of the kind) probably meant; asked only once it meant none. */
    suggestNames: (term: string, kind: EntityKind | null) => suggestions.load({ term, kind }),
    /** Full-text search over names and aliases, best first. */
    async search(options: SearchOptions, plan: EntityPlan) {
      const hits = await db.readOne((tx) => searchEntities(tx, options, plan));
      primeProjected(
        hits.map((h) => h.entity),
        plan,
      );
      return hits;
    },
    /** Every API key (never its hash), for admins. */
    apiKeys: () => db.readOne((tx) => listApiKeys(tx)),
    /** A page of the write log, newest first, after a Change id; one more than asked. */
    changes: (first: number, after: string | null) => db.readOne((tx) => listChanges(tx, first, after)),
    /** One article's part of the graph, or the whole graph, as facts file text (src/facts/export.ts), bounded. */
    exportText: (article: string | null, maxItems: number) => exportText(db, article, maxItems),
    /** The aggregations of Query.stats, one statement each. */
    stats: {
      entitiesByKind: () => db.readOne((tx) => countEntitiesByKind(tx)),
      relationships: (statuses: readonly FactStatus[]) =>
        db.readOne((tx) => countRelationships(tx, statuses)),
      async distributionByMarket(brandId: string | null) {
        const rows = await db.readOne((tx) => distributionByMarket(tx, brandId));
        prime(rows.map((r) => r.market));
        return rows;
      },
      async productsByDistributor(marketId: string | null, brandId: string | null) {
        const rows = await db.readOne((tx) => productsByDistributor(tx, marketId, brandId));
        prime(rows.map((r) => r.company));
        return rows;
      },
    },
  };
}

export type GraphContext = ReturnType<typeof createGraphContext>;

/** The API key a request was sent with, once checked (src/http/auth.ts). */
export interface Viewer {
  keyId: string;
  name: string | null;
  scope: Scope;
}

/** READ_ACCESS: whether reading needs a key (`key`) or not (`open`). */
export type ReadAccess = 'open' | 'key';

/** What the auth plugin adds to a request's context (src/http/auth.ts). */
export interface AuthContext {
  /** null without a key; a key that is not valid never gets this far (UNAUTHENTICATED). */
  viewer: Viewer | null;
  readAccess: ReadAccess;
}

export interface Context extends AuthContext {
  graph: GraphContext;
  writes: Writes;
  requestId: string;
}
