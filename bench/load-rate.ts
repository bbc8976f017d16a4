/**
 * Ingest rate (facts per second) of the project's ingest (npm run ingest: validation, entity resolution, the
 * mention scan, one transaction per article) against the bare-driver script (bench/bare-load.ts), on a
 * generated corpus:
 *
 *   tsx bench/load-rate.ts --entities 10000 [--seed 1] [--loader both|project|bare] [--rounds 1] [--heap 2g]
 *     [--pagecache 1g] [--dir DIR] [--keep true]
 *
 * It generates the corpus (into DIR, or a temp directory removed afterwards), starts a throwaway Neo4j (or uses
 * NEO4J_URI when set and --empty true agrees to its being emptied), applies the schema, loads with each loader
 * in turn (emptying the graph in between) and prints facts per second and the graph's node, relationship and
 * quote counts: the nodes are the same for both; the ingest's graph has more MENTIONS quotes (and a few more
 * MENTIONS), which it finds by scanning the text and the bare script does not look for.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countGraph } from '../src/graph/ingest.js';
import { createDriver, Db } from '../src/neo4j/driver.js';
import { type LocalNeo4j, startLocalNeo4j } from '../src/neo4j/local.js';
import { migrate } from '../src/neo4j/migrate.js';
import { bareLoad } from './bare-load.js';
import { loadCorpus } from './corpus.js';
import { generateCorpus } from './generate.js';

async function emptyGraph(db: Db): Promise<void> {
  const session = db.driver.session({ database: db.database });
  try {
    await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS');
  } finally {
    await session.close();
  }
}

function diskUsage(p: string): number {
  const s = statSync(p, { throwIfNoEntry: false });
  if (!s) return 0;
  if (!s.isDirectory()) return s.size;
  return readdirSync(p).reduce((sum, name) => sum + diskUsage(path.join(p, name)), 0);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(args: Record<string, string>): Promise<void> {
  const entities = Number(args.entities ?? 10_000);
  const seed = Number(args.seed ?? 1);
  const once = (args.loader ?? 'both') === 'both' ? ['bare', 'project'] : [args.loader ?? 'project'];
  // Later rounds run on a warm JVM and page cache: the first load of a fresh Neo4j is slow whichever it is.
  const loaders = Array.from({ length: Number(args.rounds ?? 1) }, () => once).flat();
  const work = mkdtempSync(path.join(os.tmpdir(), 'marketgraph-corpus-'));
  const dir = args.dir ?? path.join(work, 'corpus');

  let t = performance.now();
  const corpus = generateCorpus({ entities, seed, dir });
  console.log(
    `generated ${corpus.entities} entities, ${corpus.relationships} facts, ${corpus.evidence} quotes in ` +
      `${corpus.files.length} files (${mb(diskUsage(dir))}) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  let local: LocalNeo4j | undefined;
  const dataDir = path.join(work, 'neo4j');
  let conn = {
    uri: process.env.NEO4J_URI ?? '',
    user: process.env.NEO4J_USER ?? 'neo4j',
    password: process.env.NEO4J_PASSWORD ?? '',
  };
  if (conn.uri && args.empty !== 'true') {
    throw new Error(`This empties the database at ${conn.uri} before each load: pass --empty true to agree.`);
  }
  if (!conn.uri) {
    t = performance.now();
    local = await startLocalNeo4j({
      dataDir,
      port: 0,
      heap: args.heap ?? '2g',
      pageCache: args.pagecache ?? '1g',
    });
    conn = local;
    console.log(`started Neo4j in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const driver = createDriver({ ...conn, database: 'neo4j', txTimeoutMs: 600_000 });
  const db = new Db(driver, 'neo4j', 600_000);
  try {
    await migrate(driver, 'neo4j');
    for (const [i, loader] of loaders.entries()) {
      if (i > 0 || !local) await emptyGraph(db);
      const load = loader === 'bare' ? bareLoad : loadCorpus;
      let lastPrint = 0;
      const r = await load(db, corpus.files, (p) => {
        if (p.seconds - lastPrint >= 30 || p.done === p.total) {
          lastPrint = p.seconds;
          console.log(`  ${loader}: ${p.done}/${p.total} files, ${p.facts} facts, ${p.seconds.toFixed(1)} s`);
        }
      });
      const graph = await db.read(async (tx) => {
        const quotes = await tx.run(
          'MATCH ()-[r]->() RETURN sum(size(coalesce(r.evidenceQuotes, []))) AS quotes',
        );
        return { ...(await countGraph(tx)), quotes: quotes.records[0]?.get('quotes') ?? 0 };
      });
      console.log(
        `${loader}: ${r.facts} facts (${r.evidence} quotes) in ${r.seconds.toFixed(1)} s = ` +
          `${r.factsPerSecond.toFixed(0)} facts/s; graph ${graph.nodes} nodes, ${graph.relationships} relationships, ` +
          `${graph.quotes} quotes` +
          (local ? `; store ${mb(diskUsage(dataDir))}` : ''),
      );
    }
  } finally {
    await db.close();
    await local?.stop();
    if (args.keep !== 'true') rmSync(work, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
const args: Record<string, string> = {};
for (let i = 0; i + 1 < argv.length; i += 2) args[(argv[i] ?? '').replace(/^--/, '')] = argv[i + 1] ?? '';
await main(args);
