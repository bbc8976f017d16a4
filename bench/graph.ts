/**
 * The bench's Neo4j and data: one local Neo4j per size under .data/bench/<size>, loaded once with the generated
 * corpus and reused while its marker (size, seed, generator version) matches; or NEO4J_URI as it is. Loading
 * into a fresh directory measures the project loader and, in a second throwaway directory, the bare
 * UNWIND/MERGE script, for the report's `load` section.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFacts } from '../src/facts/load.js';
import { createDriver, Db } from '../src/neo4j/driver.js';
import { type LocalNeo4j, startLocalNeo4j } from '../src/neo4j/local.js';
import { migrate } from '../src/neo4j/migrate.js';
import { bareLoad } from './bare-load.js';
import { type LoadProgress, loadCorpus } from './corpus.js';
import { generateCorpus } from './generate.js';
import type { Neo4jTarget } from './servers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
export const ARTICLE_FACTS = path.join(root, 'facts/xiaomi-korea.facts.json');

export interface LoadRate {
  facts: number;
  seconds: number;
  factsPerSecond: number;
}

export interface LoadRecord {
  size: number;
  entities: number;
  relationships: number;
  evidence: number;
  project: LoadRate;
  bare: LoadRate | null;
  measuredAt: string;
}

export interface BenchGraph {
  target: Neo4jTarget;
  /** Entities in the graph (NameKeys not counted). */
  entities: number;
  /** How the data got there: measured now, or when the reused directory was loaded. */
  load: LoadRecord | null;
  /** Where the data came from, for the report. */
  note: string;
  close(): Promise<void>;
}

export interface GraphOptions {
  size: number;
  seed: number;
  fresh: boolean;
  heap?: string;
  pageCache?: string;
  log: (line: string) => void;
}

/** Memory for the local Neo4j by size; the 1M graph wants its store in the page cache. */
function memoryFor(size: number): { heap: string; pageCache: string } {
  if (size <= 20_000) return { heap: '1g', pageCache: '512m' };
  if (size <= 200_000) return { heap: '2g', pageCache: '1g' };
  return { heap: '4g', pageCache: '4g' };
}

/** What the loaded data depends on: a change to the generator or the loaders reloads it. */
function generatorVersion(): string {
  const h = createHash('sha256');
  for (const f of ['generate.ts', 'corpus.ts']) h.update(readFileSync(path.join(here, f)));
  return h.digest('hex').slice(0, 16);
}

interface Marker {
  size: number;
  seed: number;
  generator: string;
  load: LoadRecord | null;
}

type Loader = (db: Db, files: string[], onProgress?: (p: LoadProgress) => void) => Promise<LoadRate>;

async function countEntities(db: Db): Promise<number> {
  return db.read(async (tx) => {
    const r = await tx.run('MATCH (n:Entity) RETURN count(n) AS n');
    return Number(r.records[0]?.get('n') ?? 0);
  });
}

function openDb(t: Neo4jTarget): Db {
  return new Db(createDriver({ ...t, txTimeoutMs: 600_000 }), t.database, 600_000);
}

async function startNeo4j(
  dataDir: string,
  o: GraphOptions,
): Promise<{ local: LocalNeo4j; target: Neo4jTarget }> {
  const mem = memoryFor(o.size);
  const local = await startLocalNeo4j({
    dataDir,
    port: 0,
    heap: o.heap ?? mem.heap,
    pageCache: o.pageCache ?? mem.pageCache,
    startTimeoutMs: 600_000,
  });
  const target = { uri: local.uri, user: local.user, password: local.password, database: 'neo4j' };
  const db = openDb(target);
  try {
    await migrate(db.driver, target.database);
  } catch (err) {
    await local.stop();
    throw err;
  } finally {
    await db.close();
  }
  return { local, target };
}

const rate = (r: LoadRate): LoadRate => ({
  facts: r.facts,
  seconds: r.seconds,
  factsPerSecond: r.factsPerSecond,
});

/** A line every tenth of the files: loading 1M takes long enough to want a sign of life. */
function progress(log: (line: string) => void) {
  let shown = 0;
  return (p: LoadProgress) => {
    if (p.done === p.total || p.done >= shown + Math.max(1, Math.ceil(p.total / 10))) {
      shown = p.done;
      log(`    ${p.done}/${p.total} files, ${p.facts} facts, ${p.seconds.toFixed(0)} s`);
    }
  };
}

/** Loads the corpus into a fresh throwaway Neo4j with the bare script, for its rate only. */
async function measureBare(
  bare: Loader,
  files: string[],
  dir: string,
  o: GraphOptions,
): Promise<LoadRate | null> {
  rmSync(dir, { recursive: true, force: true });
  const { local, target } = await startNeo4j(dir, o);
  const db = openDb(target);
  try {
    return await bare(db, files, progress(o.log));
  } catch (err) {
    o.log(`  bare load failed: ${(err as Error).message}`);
    return null;
  } finally {
    await db.close();
    await local.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function openBenchGraph(o: GraphOptions): Promise<BenchGraph> {
  const uri = process.env.NEO4J_URI;
  if (uri) {
    // Someone else's database: measured as it is, never wiped; seeded only when empty.
    const target = {
      uri,
      user: process.env.NEO4J_USER ?? 'neo4j',
      password: process.env.NEO4J_PASSWORD ?? '',
      database: process.env.NEO4J_DATABASE ?? 'neo4j',
    };
    const db = openDb(target);
    try {
      await migrate(db.driver, target.database);
      if ((await countEntities(db)) === 0) await loadFacts(db, ARTICLE_FACTS);
      const entities = await countEntities(db);
      return { target, entities, load: null, note: `NEO4J_URI as found`, close: async () => {} };
    } finally {
      await db.close();
    }
  }

  const base = path.join(root, '.data/bench');
  const dataDir = path.join(base, String(o.size));
  const markerFile = path.join(dataDir, 'bench-marker.json');
  const expected = { size: o.size, seed: o.seed, generator: generatorVersion() };
  const marker: Marker | null = existsSync(markerFile)
    ? (JSON.parse(readFileSync(markerFile, 'utf8')) as Marker)
    : null;
  const reuse =
    !o.fresh &&
    marker !== null &&
    marker.size === expected.size &&
    marker.seed === expected.seed &&
    marker.generator === expected.generator;
  if (!reuse) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  o.log(`  Neo4j for ${o.size} entities in ${path.relative(root, dataDir)}${reuse ? ' (reused)' : ''}`);
  const { local, target } = await startNeo4j(dataDir, o);
  const db = openDb(target);
  let load: LoadRecord | null = marker?.load ?? null;
  try {
    if (!reuse) {
      const corpusDir = path.join(base, `corpus-${o.size}-${o.seed}`);
      rmSync(corpusDir, { recursive: true, force: true });
      o.log(`  generating ${o.size} entities`);
      const corpus = generateCorpus({ entities: o.size, seed: o.seed, dir: corpusDir });
      o.log(`  loading ${corpus.files.length} files (${corpus.relationships} facts) with the project loader`);
      const project = await loadCorpus(db, corpus.files, progress(o.log));
      o.log(`    ${project.factsPerSecond.toFixed(0)} facts/s`);
      o.log('  loading the same files with the bare UNWIND/MERGE script into a throwaway Neo4j');
      const bare = await measureBare(bareLoad, corpus.files, path.join(base, `${o.size}-bare`), o);
      if (bare) o.log(`    ${bare.factsPerSecond.toFixed(0)} facts/s`);
      rmSync(corpusDir, { recursive: true, force: true });
      load = {
        size: o.size,
        entities: corpus.entities,
        relationships: corpus.relationships,
        evidence: corpus.evidence,
        project: rate(project),
        bare: bare && rate(bare),
        measuredAt: new Date().toISOString(),
      };
      writeFileSync(markerFile, JSON.stringify({ ...expected, load } satisfies Marker, null, 2));
    }
    const entities = await countEntities(db);
    return {
      target,
      entities,
      load,
      note: `seed article + generated corpus, seed ${o.seed}`,
      close: () => local.stop(),
    };
  } catch (err) {
    await local.stop();
    throw err;
  } finally {
    await db.close();
  }
}
