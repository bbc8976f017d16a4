import type { Tx } from '../neo4j/driver.js';
import { type EntityRecord, toEntity } from './records.js';

/** Companies that distribute, in the market, some product the brand manufactures; in name order. */
export async function distributorsOf(tx: Tx, brandId: string, marketId: string): Promise<EntityRecord[]> {
  const r = await tx.run(
    `MATCH (:Company {id: $brand})-[:MANUFACTURES]->(:Product)<-[:DISTRIBUTES {market: $market}]-(c:Company)
     WITH DISTINCT c
     RETURN c ORDER BY c.sortName, c.id`,
    { brand: brandId, market: marketId },
  );
  return r.records.map((rec) => toEntity(rec.get('c')));
}
