import { countGraph, KindConflictError, type LoadReport, writeFacts } from '../graph/load.js';
import type { Db } from '../neo4j/driver.js';
import { FactsError, readFacts } from './file.js';

/** A load is one transaction for the whole file: it may take far longer than a request. */
const LOAD_TIMEOUT_MS = 300_000;

/** Validates the file, then loads it in one write transaction; bad input throws FactsError and writes nothing. */
export async function loadFacts(db: Db, file: string): Promise<LoadReport> {
  const facts = readFacts(file);
  try {
    return await db.write((tx) => writeFacts(tx, facts), LOAD_TIMEOUT_MS);
  } catch (err) {
    if (err instanceof KindConflictError) {
      // A lookup instead of a search per conflict: a file that clashes everywhere has thousands of them.
      const index = new Map(facts.entities.map((e, i) => [e.id, i]));
      throw new FactsError(
        file,
        err.conflicts.map((c) => ({
          path: `entities[${index.get(c.id) ?? -1}].kind`,
          message: `"${c.id}" is already in the graph as a ${c.existing}, not a ${c.incoming}`,
        })),
      );
    }
    throw err;
  }
}

export async function isEmpty(db: Db): Promise<boolean> {
  const { nodes } = await db.read((tx) => countGraph(tx));
  return nodes === 0;
}
