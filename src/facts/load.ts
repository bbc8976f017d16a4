import { COMMAND_LINE, type Who } from '../graph/changes.js';
import {
  countGraph,
  type EntitiesReport,
  type FactEntity,
  type Facts,
  type IngestReport,
  ingestEntities,
  ingestFacts,
  KindConflictError,
  ResolutionError,
  type UpsertReport,
  upsertEntity,
} from '../graph/ingest.js';
import type { Db } from '../neo4j/driver.js';
import { FactsError, readFactsFile } from './file.js';

/** An ingest is one transaction for a whole document: it may take far longer than a request. */
const INGEST_TIMEOUT_MS = 300_000;

/**
 * Ingests one validated document in one write transaction. What the graph refuses (an id already of another
 * kind, a spelling of several entities) throws FactsError naming the entity, and writes nothing.
 */
export async function ingestDocument(
  db: Db,
  facts: Facts,
  who: Who,
  source: { name: string; at?: string },
): Promise<IngestReport> {
  try {
    return await db.write((tx) => ingestFacts(tx, facts, who), INGEST_TIMEOUT_MS);
  } catch (err) {
    throw refusal(err, source);
  }
}

/** Creates or updates one entity in one write transaction; what the graph refuses throws FactsError. */
export async function upsertOne(db: Db, entity: FactEntity, who: Who, source: string): Promise<UpsertReport> {
  try {
    return await db.write((tx) => upsertEntity(tx, entity, who));
  } catch (err) {
    throw refusal(err, { name: source });
  }
}

/** What the graph refused (an id already of another kind, a spelling of several entities), as a FactsError. */
function refusal(err: unknown, source: { name: string; at?: string }): unknown {
  const at = (p: string) => (source.at ? `${source.at}.${p}` : p);
  if (err instanceof KindConflictError) {
    return new FactsError(
      source.name,
      err.conflicts.map((c) => ({
        path: at(`entities[${c.index}].kind`),
        message: `"${c.id}" is already in the graph as a ${c.existing}, not a ${c.incoming}`,
      })),
      'conflict',
    );
  }
  if (err instanceof ResolutionError) {
    // A spelling of several entities is AMBIGUOUS; the other refusals (two entities of the input that are one,
    // no id left to derive) are the input's.
    const candidates = err.problems.filter((p) => p.candidates.length > 1).flatMap((p) => p.candidates);
    return new FactsError(
      source.name,
      err.problems.map((p) => ({ path: at(`entities[${p.index}]`), message: p.message })),
      candidates.length > 0 ? 'ambiguous' : 'invalid',
      candidates,
    );
  }
  return err;
}

/**
 * Validates a facts file (one document, or a list of them), then ingests each document in its own write
 * transaction, in order. A bad file throws FactsError and writes nothing; a document the graph refuses
 * throws FactsError, leaving the documents before it ingested.
 */
export async function loadFacts(
  db: Db,
  file: string,
  who: Who = COMMAND_LINE,
): Promise<(IngestReport | EntitiesReport)[]> {
  const documents = readFactsFile(file);
  const reports: (IngestReport | EntitiesReport)[] = [];
  for (const [i, doc] of documents.entries()) {
    const source = { name: file, at: documents.length > 1 ? `[${i}]` : '' };
    reports.push(
      doc.article === null
        ? await db
            .write((tx) => ingestEntities(tx, doc, who), INGEST_TIMEOUT_MS)
            .catch((err: unknown) => {
              throw refusal(err, source);
            })
        : await ingestDocument(db, doc, who, source),
    );
  }
  return reports;
}

export async function isEmpty(db: Db): Promise<boolean> {
  const { nodes } = await db.read((tx) => countGraph(tx));
  return nodes === 0;
}
