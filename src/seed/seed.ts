import { countGraph, KindConflictError, type LoadReport, writeDataset } from '../graph/load.js';
import type { Db } from '../neo4j/driver.js';
import { DatasetError, readDataset } from './facts.js';

/** A load is one transaction for the whole file: it may take far longer than a request. */
const LOAD_TIMEOUT_MS = 300_000;

/** Validates the file, then loads it in one write transaction; bad input throws DatasetError and writes nothing. */
export async function seedFile(db: Db, file: string): Promise<LoadReport> {
  const dataset = readDataset(file);
  try {
    return await db.write((tx) => writeDataset(tx, dataset), LOAD_TIMEOUT_MS);
  } catch (err) {
    if (err instanceof KindConflictError) {
      // A lookup instead of a search per conflict: a file that clashes everywhere has thousands of them.
      const index = new Map(dataset.entities.map((e, i) => [e.id, i]));
      throw new DatasetError(
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
