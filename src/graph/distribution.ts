import type { Runner } from '../neo4j/driver.js';
import { type FactStatus, LIVE_STATUSES, linkStatuses } from './model.js';
import {
  type EntityPlan,
  type NameCandidate,
  type NameRef,
  type ProjectedEntity,
  Statement,
  toProjected,
} from './projection.js';

export interface Distributors {
  brand: NameCandidate[];
  market: NameCandidate[];
  /** Empty unless both names mean exactly one entity. */
  companies: ProjectedEntity[];
}

/**
 * Companies that distribute, in the market, some product the brand manufactures; in name order. One statement:
 * both names are looked up in it, and each company is read as the plan asks. Only by facts whose status is
 * listed: by default the standing ones, so a retracted DISTRIBUTES (or MANUFACTURES) never answers.
 */
export async function distributorsOf(
  tx: Runner,
  brand: NameRef,
  market: NameRef,
  plan: EntityPlan,
  statuses: readonly FactStatus[] = LIVE_STATUSES,
): Promise<Distributors> {
  const s = new Statement();
  const b = s.name(brand).variable;
  const m = s.name(market).variable;
  const projection = s.entity('c', plan);
  const distributes = s.param(statuses);
  const manufactures = s.param(linkStatuses(statuses));
  const r = await tx.run(
    `${s.resolveNames()}
     CALL (${s.nameVariables.join(', ')}) {
       MATCH (${b})-[mf:MANUFACTURES]->(:Product)<-[d:DISTRIBUTES]-(c:Company)
       WHERE d.market = ${m}.id AND d.status IN ${distributes} AND mf.status IN ${manufactures}
       WITH DISTINCT c ORDER BY c.sortName, c.id
       RETURN collect(${projection}) AS companies
     }
     RETURN candidates, companies`,
    s.params,
  );
  const rec = r.records[0];
  const candidates = s.candidates(rec?.get('candidates'));
  const rows = (rec?.get('companies') ?? []) as Record<string, unknown>[];
  return {
    brand: candidates(brand),
    market: candidates(market),
    companies: rows.map((row) => toProjected(row, plan, candidates)),
  };
}
