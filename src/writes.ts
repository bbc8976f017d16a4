import { ingestDocument, upsertOne } from './facts/load.js';
import type { Who } from './graph/changes.js';
import {
  type AddFactInput,
  addFact,
  mergeEntities,
  retractFact,
  withdrawArticle,
} from './graph/corrections.js';
import type { FactEntity, Facts } from './graph/ingest.js';
import type { Db } from './neo4j/driver.js';

/**
 * What mutation resolvers see of the graph for one request: one method per write, each one write transaction
 * that records its Change (src/graph/changes.ts) beside what it changed. Nothing is cached: a write reads what
 * it needs inside its own transaction.
 */
export function createWrites(db: Db) {
  return {
    /** An article and its facts, one transaction (src/graph/ingest.ts); refusals as FactsError. */
    ingestArticle: (who: Who, facts: Facts) => ingestDocument(db, facts, who, { name: 'input' }),
    /** One entity created or updated, one transaction; refusals as FactsError. */
    upsertEntity: (who: Who, entity: FactEntity) => upsertOne(db, entity, who, 'input'),
    /** A fact with one piece of evidence, checked against the article's stored text (src/graph/corrections.ts). */
    addFact: (who: Who, input: AddFactInput) => db.write((tx) => addFact(tx, who, input)),
    /** Marks a fact retracted (who, when, why); its evidence stays. */
    retractFact: (who: Who, id: string, reason: string) =>
      db.write((tx) => retractFact(tx, who, { id, reason })),
    /** Merges one entity into another of its kind; the merged id keeps resolving through a Redirect. */
    mergeEntities: (who: Who, keep: string, merge: string) =>
      db.write((tx) => mergeEntities(tx, who, { keep, merge })),
    /** Withdraws an article and retracts the facts only it supported. */
    withdrawArticle: (who: Who, id: string, reason: string) =>
      db.write((tx) => withdrawArticle(tx, who, { id, reason })),
  };
}

export type Writes = ReturnType<typeof createWrites>;
