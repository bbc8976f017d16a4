import type { Runner } from '../neo4j/driver.js';
import { type EntityKind, type FactStatus, LIVE_STATUSES } from './model.js';
import { type EntityRecord, toEntity } from './records.js';

export async function countEntitiesByKind(tx: Runner): Promise<{ kind: EntityKind; count: number }[]> {
  const r = await tx.run('MATCH (n:Entity) RETURN n.kind AS kind, count(n) AS count ORDER BY kind');
  return r.records.map((rec) => ({ kind: rec.get('kind'), count: rec.get('count') }));
}

/**
 * Relationships between entities by type and status (name-lookup links are not facts and not counted); only
 * those whose status is listed (acceptedStatuses), so retracted facts only when asked.
 */
export async function countRelationships(
  tx: Runner,
  statuses: readonly FactStatus[],
): Promise<{ type: string; status: FactStatus; count: number }[]> {
  const r = await tx.run(
    `MATCH (:Entity)-[r]->(:Entity)
     WHERE r.status IN $statuses
     RETURN type(r) AS type, r.status AS status, count(r) AS count
     ORDER BY count DESC, type, status`,
    { statuses },
  );
  return r.records.map((rec) => ({
    type: rec.get('type'),
    status: rec.get('status'),
    count: rec.get('count'),
  }));
}

export interface MarketDistribution {
  market: EntityRecord;
  distributors: number;
  products: number;
}

/** For each market: how many companies distribute there, and how many distinct products (standing facts only). */
export async function distributionByMarket(
  tx: Runner,
  brandId: string | null,
): Promise<MarketDistribution[]> {
  const r = await tx.run(
    `MATCH (c:Company)-[d:DISTRIBUTES]->(p:Product)
     WHERE d.status IN $live
       AND ($brand IS NULL OR EXISTS { MATCH (:Company {id: $brand})-[b:MANUFACTURES]->(p) WHERE b.status IN $live })
     WITH d.market AS marketId, count(DISTINCT c) AS distributors, count(DISTINCT p) AS products
     MATCH (m:Market {id: marketId})
     RETURN m, distributors, products ORDER BY distributors DESC, m.sortName`,
    { brand: brandId, live: LIVE_STATUSES },
  );
  return r.records.map((rec) => ({
    market: toEntity(rec.get('m')),
    distributors: rec.get('distributors'),
    products: rec.get('products'),
  }));
}

export interface DistributorProducts {
  company: EntityRecord;
  products: number;
  markets: number;
}

/**
 * For each distributor: how many distinct products it carries (optionally in one market, of one brand), by
 * standing facts only.
 */
export async function productsByDistributor(
  tx: Runner,
  marketId: string | null,
  brandId: string | null,
): Promise<DistributorProducts[]> {
  const r = await tx.run(
    `MATCH (c:Company)-[d:DISTRIBUTES]->(p:Product)
     WHERE d.status IN $live
       AND ($market IS NULL OR d.market = $market)
       AND ($brand IS NULL OR EXISTS { MATCH (:Company {id: $brand})-[b:MANUFACTURES]->(p) WHERE b.status IN $live })
     RETURN c, count(DISTINCT p) AS products, count(DISTINCT d.market) AS markets
     ORDER BY products DESC, c.sortName`,
    { market: marketId, brand: brandId, live: LIVE_STATUSES },
  );
  return r.records.map((rec) => ({
    company: toEntity(rec.get('c')),
    products: rec.get('products'),
    markets: rec.get('markets'),
  }));
}
