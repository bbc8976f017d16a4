import { int } from 'neo4j-driver';
import type { Runner } from '../neo4j/driver.js';
import { type FactStatus, linkStatuses, type RelationshipType } from './model.js';
import { foldName } from './names.js';
import {
  type EntityPlan,
  type NameCandidate,
  type NameRef,
  type ProjectedEntity,
  Statement,
  toProjected,
} from './projection.js';
import { type EntityRecord, type RelationRecord, toEntity, toRelation } from './records.js';

/**
 * Entities by id, keyed by the id asked for: the id of an entity merged into another (mergeEntities) finds the
 * entity it was merged into, through its Redirect, so old ids and their global ids keep resolving.
 */
export async function entitiesByIds(tx: Runner, ids: readonly string[]): Promise<Map<string, EntityRecord>> {
  const r = await tx.run(
    `UNWIND $ids AS id
     OPTIONAL MATCH (n:Entity {id: id})
     OPTIONAL MATCH (:Redirect {id: id})-[:REDIRECTS_TO]->(kept:Entity) WHERE n IS NULL
     WITH id, coalesce(n, kept) AS n WHERE n IS NOT NULL
     RETURN id, n`,
    { ids },
  );
  return new Map(r.records.map((rec) => [rec.get('id') as string, toEntity(rec.get('n'))]));
}

export interface NameMatch {
  entity: EntityRecord;
  /** The entity's own name (not just an alias) folds to the looked-up key. */
  byName: boolean;
}

/** Every entity each name can mean, by its folded spelling; one query for any number of names. */
export async function entitiesByNames(
  tx: Runner,
  names: readonly string[],
): Promise<Map<string, NameMatch[]>> {
  const keys = [...new Set(names.map(foldName))];
  const r = await tx.run(
    `UNWIND $keys AS key
     MATCH (:NameKey {key: key})-[:NAMES]->(n:Entity)
     RETURN key, n ORDER BY n.sortName, n.id`,
    { keys },
  );
  const byKey = new Map<string, NameMatch[]>(keys.map((k) => [k, []]));
  for (const rec of r.records) {
    const entity = toEntity(rec.get('n'));
    const key = rec.get('key') as string;
    byKey.get(key)?.push({ entity, byName: foldName(entity.name) === key });
  }
  return new Map(names.map((n) => [n, byKey.get(foldName(n)) ?? []]));
}

/**
 * The entity a name means, read as the plan asks, in one statement with the lookup: the candidates come back
 * too, so the caller can report a name that means nothing or several things.
 */
export async function entityNamed(
  tx: Runner,
  ref: NameRef,
  plan: EntityPlan,
): Promise<{ candidates: NameCandidate[]; entity: ProjectedEntity | null }> {
  const s = new Statement();
  const { variable } = s.name(ref);
  const projection = s.entity(variable, plan);
  const r = await tx.run(`${s.resolveNames()} RETURN candidates, ${projection} AS e`, s.params);
  const rec = r.records[0];
  const candidates = s.candidates(rec?.get('candidates'));
  const e = rec?.get('e') as Record<string, unknown> | null | undefined;
  return { candidates: candidates(ref), entity: e ? toProjected(e, plan, candidates) : null };
}

export interface RelationQuery {
  type: RelationshipType;
  direction: 'out' | 'in';
  /** The statuses a relationship may have (acceptedStatuses); a retracted one only when listed. */
  statuses: readonly FactStatus[];
  marketId: string | null;
  /** Only neighbours manufactured by this company (for DISTRIBUTES: "Xiaomi's products"). */
  brandId: string | null;
  offset: number;
  first: number;
}

export interface RelationPage {
  totalCount: number;
  rows: { relation: RelationRecord; node: EntityRecord }[];
}

/**
 * One relationship field for many entities at once: for each id, the total and one page of
 * (relationship, neighbour) in the neighbour's name order. The type comes from the model, never from input.
 */
export async function relationsOf(
  tx: Runner,
  ids: readonly string[],
  q: RelationQuery,
): Promise<Map<string, RelationPage>> {
  const pattern = q.direction === 'out' ? `(n)-[r:${q.type}]->(m:Entity)` : `(n)<-[r:${q.type}]-(m:Entity)`;
  const where = `WHERE r.status IN $statuses
         AND ($market IS NULL OR r.market = $market)
         AND ($brand IS NULL OR EXISTS {
           MATCH (:Company {id: $brand})-[b:MANUFACTURES]->(m) WHERE b.status IN $brandStatuses
         })`;
  // The page is cut in Cypher (a top-k sort), so a hub with many neighbours is never read whole.
  const r = await tx.run(
    `UNWIND $ids AS id
     MATCH (n:Entity {id: id})
     CALL (n) { MATCH ${pattern} ${where} RETURN count(r) AS total }
     CALL (n) {
       MATCH ${pattern} ${where}
       WITH r, m ORDER BY m.sortName, m.id SKIP $offset LIMIT $first
       RETURN collect({r: r, m: m}) AS rows
     }
     RETURN id, total, [row IN rows | {r: row.r, m: row.m, from: startNode(row.r).id, to: endNode(row.r).id}] AS rows`,
    {
      ids,
      statuses: q.statuses,
      brandStatuses: linkStatuses(q.statuses),
      market: q.marketId,
      brand: q.brandId,
      offset: int(q.offset),
      first: int(q.first),
    },
  );
  const pages = new Map<string, RelationPage>();
  for (const rec of r.records) {
    const rows = rec.get('rows') as {
      r: Parameters<typeof toRelation>[0];
      m: Parameters<typeof toEntity>[0];
      from: string;
      to: string;
    }[];
    pages.set(rec.get('id'), {
      totalCount: rec.get('total'),
      rows: rows.map((row) => ({ relation: toRelation(row.r, row.from, row.to), node: toEntity(row.m) })),
    });
  }
  return pages;
}
