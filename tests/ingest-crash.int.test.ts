import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { bigDocument } from '../bench/big-document.js';
import { FactsError, parseFacts } from '../src/facts/file.js';
import { ingestDocument, loadFacts } from '../src/facts/load.js';
import { COMMAND_LINE } from '../src/graph/changes.js';
import { type Facts, ingestFacts } from '../src/graph/ingest.js';
import type { Db, Tx } from '../src/neo4j/driver.js';
import { classifyDbError } from '../src/neo4j/errors.js';
import { graphSnapshot } from './support/db.js';
import { root } from './support/paths.js';
import { privateNeo4j } from './support/private.js';

/*
 * One article is one transaction: an ingest that fails, or whose process or Neo4j is killed midway, leaves the
 * graph exactly as it was. A Neo4j of this file's own, since it is killed (SIGKILL, no shutdown) and started
 * again on the same store.
 *
 * "Midway" is not a guess from a delay: the test watches the ingest's transaction from another session
 * (SHOW TRANSACTIONS) and strikes once that transaction runs a statement that only comes after it has written
 * the document's entities (its facts, or the mention scan that follows them). The document is large (1,100
 * entities, 2,100 facts, a 130 KB article) so that those phases last seconds, not milliseconds.
 */

const neo4j = privateNeo4j();
const ARTICLE = 'article:crash-digest';
const DOCUMENT = bigDocument({ article: ARTICLE, names: 'Kraxo', products: 1_000, ids: false });
const parsed = (raw: unknown = DOCUMENT): Facts => parseFacts(raw, { name: 'crash document', dir: null });

const work = mkdtempSync(path.join(os.tmpdir(), 'marketgraph-crash-'));
const documentFile = path.join(work, 'crash.facts.json');
writeFileSync(documentFile, JSON.stringify(DOCUMENT));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid)
      process.kill(-child.pid, 'SIGKILL');
  }
  rmSync(work, { recursive: true, force: true });
});

/**
 * Statements of ingestFacts that run only after it has written the document's entities (WRITE_NODES): the
 * writing of its facts, then the mention scan (seconds each for this document), then the writing of its
 * mentions, the one hit that could come too late to cut anything; it can only be seen first by a watcher that
 * missed both the facts and the whole scan, 20 ms apart.
 */
const AFTER_NODES_WRITTEN = {
  'writing facts or mentions': /MERGE \(a\)-\[r:\$\(row\.type\) \{id: row\.id\}\]->\(b\)/,
  'scanning the text for mentions': /MATCH \(k:NameKey\) USING INDEX/,
};
const phaseOf = (query: string) =>
  Object.entries(AFTER_NODES_WRITTEN).find(([, re]) => re.test(query))?.[0] ?? null;

interface Running {
  transactionId: string;
  currentQuery: string;
  elapsedMs: number;
}

/** The transactions Neo4j is running, but for the one asking. */
async function transactions(db: Db): Promise<Running[]> {
  const session = db.driver.session({ database: db.database });
  try {
    const r = await session.run(
      `SHOW TRANSACTIONS YIELD transactionId, currentQuery, elapsedTime
       WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS'
       RETURN transactionId, currentQuery, elapsedTime.milliseconds AS elapsedMs`,
    );
    return r.records.map((rec) => rec.toObject() as Running);
  } finally {
    await session.close();
  }
}

/** Waits until a transaction runs a statement that comes after the entities are written; returns it. */
async function midway(db: Db, timeoutMs = 120_000): Promise<Running> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hit = (await transactions(db)).find((t) => phaseOf(t.currentQuery) !== null);
    if (hit) return hit;
    await sleep(20);
  }
  throw new Error(`no ingest reached its facts within ${timeoutMs} ms`);
}

/** Waits until Neo4j runs no transaction but the asking one (a dead client's transaction is rolled back). */
async function quiet(db: Db, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await transactions(db)).length > 0) {
    if (Date.now() > deadline) throw new Error(`transactions still running after ${timeoutMs} ms`);
    await sleep(100);
  }
}

const describeRunning = (t: Running) =>
  `${t.transactionId} ${phaseOf(t.currentQuery)}, ${t.elapsedMs} ms after it began`;

const documentInGraph = (db: Db) =>
  db.read(async (tx) => {
    const r = await tx.run(
      `RETURN COUNT { MATCH (a:Article {id: $article}) } AS articles,
              COUNT { MATCH (e:Entity) WHERE e.name STARTS WITH 'Kraxo' AND NOT e:Article } AS entities,
              COUNT { MATCH (c:Change) } AS changes`,
      { article: ARTICLE },
    );
    return r.records[0]?.toObject();
  });

describe('an ingest cut off midway leaves the graph exactly as before', () => {
  it('Neo4j killed (SIGKILL) during the ingest: the ingest fails, and after a restart nothing of it is there', async () => {
    const before = await graphSnapshot(neo4j.db);
    const seeded = await documentInGraph(neo4j.db);
    const started = performance.now();
    const ingest = ingestDocument(neo4j.db, parsed(), COMMAND_LINE, { name: 'crash document' }).then(
      () => null,
      (err: unknown) => err,
    );
    const running = await midway(neo4j.db);
    process.kill(neo4j.local.pid, 'SIGKILL');
    console.log(`killed Neo4j (pid ${neo4j.local.pid}) with transaction ${describeRunning(running)}`);

    const error = await ingest;
    expect(error, 'the ingest must fail, not commit').toBeInstanceOf(Error);
    expect(classifyDbError(error)).toBe('SERVICE_UNAVAILABLE');
    console.log(
      `the ingest failed after ${Math.round(performance.now() - started)} ms: ${(error as Error).message}`,
    );

    await neo4j.restart();
    expect(await graphSnapshot(neo4j.db)).toEqual(before);
    expect(await documentInGraph(neo4j.db)).toEqual(seeded);
  }, 240_000);

  it('the ingest command killed (SIGKILL) midway: Neo4j rolls its transaction back', async () => {
    const before = await graphSnapshot(neo4j.db);
    // Its own process group, so that the kill reaches npx, tsx and the node process that runs the ingest.
    const child = spawn('npx', ['tsx', 'src/facts/cli.ts', documentFile], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NEO4J_URI: neo4j.local.uri,
        NEO4J_USER: neo4j.local.user,
        NEO4J_PASSWORD: neo4j.password,
      },
    });
    children.push(child);
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ?? code)),
    );

    const running = await Promise.race([
      midway(neo4j.db),
      exited.then((how) => {
        throw new Error(`the ingest command ended (${how}) before it was killed:\n${output}`);
      }),
    ]);
    process.kill(-(child.pid as number), 'SIGKILL');
    console.log(`killed the ingest command (pid ${child.pid}) with transaction ${describeRunning(running)}`);
    expect(await exited).toBe('SIGKILL');
    expect(output).not.toMatch(/Ingested/);

    await quiet(neo4j.db);
    expect(await graphSnapshot(neo4j.db)).toEqual(before);
  }, 240_000);
});

describe('a document the graph refuses, or that fails late, changes nothing', () => {
  it('refuses a valid document naming an existing id with another kind, as its last entity', async () => {
    const before = await graphSnapshot(neo4j.db);
    const raw = structuredClone(DOCUMENT);
    // Valid by itself (the format, every quote, every relationship's kinds); only the graph knows Seoul is a City.
    raw.entities.push({ id: 'city:seoul', kind: 'Market', name: 'Seoul', aliases: [] });
    const error = await ingestDocument(neo4j.db, parsed(raw), COMMAND_LINE, { name: 'crash document' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FactsError);
    expect((error as FactsError).problems).toEqual([
      {
        path: `entities[${raw.entities.length - 1}].kind`,
        message: '"city:seoul" is already in the graph as a City, not a Market',
      },
    ]);
    expect(await graphSnapshot(neo4j.db)).toEqual(before);
  }, 120_000);

  it('a failure at the last statement (the Change) takes back everything written before it', async () => {
    const before = await graphSnapshot(neo4j.db);
    const small = parsed(bigDocument({ article: ARTICLE, names: 'Kraxo', products: 200, ids: false }));
    let writtenBeforeFailure: unknown;
    const failing = (tx: Tx): Tx => {
      const wrapped = Object.create(tx) as Tx;
      wrapped.run = (async (query: string, params?: Record<string, unknown>) => {
        if (query.includes('CREATE (c:Change')) {
          const seen = await tx.run(
            `RETURN COUNT { MATCH (:Article {id: $article})-[:MENTIONS]->() } AS mentions,
                    COUNT { MATCH (e:Entity) WHERE e.name STARTS WITH 'Kraxo' AND NOT e:Article } AS entities`,
            { article: ARTICLE },
          );
          writtenBeforeFailure = seen.records[0]?.toObject();
          throw new Error('failed on purpose before recording the Change');
        }
        return tx.run(query, params);
      }) as Tx['run'];
      return wrapped;
    };
    const error = await neo4j.db
      .write((tx) => ingestFacts(failing(tx), small, COMMAND_LINE), 120_000)
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('failed on purpose before recording the Change');
    // Inside the transaction the whole document was there just before it failed: its 220 new entities, and
    // mentions of those and of Xiaomi and South Korea.
    expect(writtenBeforeFailure).toEqual({ mentions: 222, entities: 220 });
    expect(await graphSnapshot(neo4j.db)).toEqual(before);
  }, 120_000);

  it('an ingest that outlives its transaction timeout is terminated by Neo4j midway and changes nothing', async () => {
    const before = await graphSnapshot(neo4j.db);
    // The whole ingest, then a pause past the timeout before the commit: the transaction is cut after it has
    // written everything (or during the ingest, on a slow machine), never by a race with a fast ingest.
    const error = await neo4j.db
      .write(async (tx) => {
        await ingestFacts(tx, parsed(), COMMAND_LINE);
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        await tx.run('RETURN 1');
      }, 1_500)
      .catch((e: unknown) => e);
    expect(classifyDbError(error)).toBe('TIMEOUT');
    await quiet(neo4j.db);
    expect(await graphSnapshot(neo4j.db)).toEqual(before);
  }, 120_000);

  it('the same document, left alone, is ingested whole (so the cases above did cut a real ingest)', async () => {
    const before = await graphSnapshot(neo4j.db);
    const [report] = await loadFacts(neo4j.db, documentFile);
    expect(report).toMatchObject({ article: ARTICLE, entities: 1_102, relationships: 2_100, changed: true });
    expect(report?.created).toHaveLength(1_100);
    expect(await documentInGraph(neo4j.db)).toMatchObject({ articles: 1, entities: 1_100 });
    expect((await graphSnapshot(neo4j.db)).digest).not.toBe(before.digest);
  }, 240_000);
});
