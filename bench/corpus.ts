/** Loading a generated corpus through the project's own loader: validation, then one transaction per file. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFacts } from '../src/facts/load.js';
import type { Db } from '../src/neo4j/driver.js';

export const SEED_FACTS_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../facts/xiaomi-korea.facts.json',
);

export interface LoadProgress {
  file: string;
  done: number;
  total: number;
  facts: number;
  seconds: number;
}

export interface LoadResult {
  /** Relationships stated by the files (the seed's included); derived MENTIONS are not counted. */
  facts: number;
  /** Evidence quotes on those facts. */
  evidence: number;
  seconds: number;
  factsPerSecond: number;
}

/**
 * Loads the seed's facts, then every file, one file at a time with the given loader, timing the whole and
 * reporting progress after each file. Both loaders compared by the benchmark go through here.
 */
export async function loadFiles(
  files: string[],
  loadOne: (file: string) => Promise<{ facts: number; evidence: number }>,
  onProgress?: (p: LoadProgress) => void,
): Promise<LoadResult> {
  const all = [SEED_FACTS_FILE, ...files];
  const started = performance.now();
  let facts = 0;
  let evidence = 0;
  for (const [i, file] of all.entries()) {
    const loaded = await loadOne(file);
    facts += loaded.facts;
    evidence += loaded.evidence;
    onProgress?.({
      file,
      done: i + 1,
      total: all.length,
      facts,
      seconds: (performance.now() - started) / 1000,
    });
  }
  const seconds = (performance.now() - started) / 1000;
  return { facts, evidence, seconds, factsPerSecond: facts / seconds };
}

/** Loads the seed's facts, then every file, each through loadFacts: validated, one transaction per file. */
export function loadCorpus(
  db: Db,
  files: string[],
  onProgress?: (p: LoadProgress) => void,
): Promise<LoadResult> {
  return loadFiles(
    files,
    async (file) => {
      const reports = await loadFacts(db, file);
      return {
        facts: reports.reduce((n, r) => n + r.relationships, 0),
        evidence: reports.reduce((n, r) => n + r.evidence, 0),
      };
    },
    onProgress,
  );
}
