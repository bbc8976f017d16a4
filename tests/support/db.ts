import { afterAll, beforeAll, expect, inject } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createDriver, Db, type Runner, type Tx } from '../../src/neo4j/driver.js';

/** A Db on the run's Neo4j (see globalSetup.ts). Close it in afterAll, or use seededDb(). */
export function testDb(): Db {
  const c = inject('neo4j');
  return new Db(createDriver({ ...c, txTimeoutMs: 30_000 }), c.database, 30_000);
}

/**
 * A Db on the run's Neo4j, which the global setup has seeded with the article's facts, for the calling file
 * (or describe): closed after its tests. Files that only read need nothing more.
 */
export function seededDb(): Db {
  const db = testDb();
  afterAll(() => db.close());
  return db;
}

/** Counts the statements its reads send; on the given Db's driver, or on a seededDb() of its own. */
export function countingDb(base: Db = seededDb()): CountingDb {
  return new CountingDb(base.driver, base.database, base.txTimeoutMs);
}

/**
 * Removes the entities whose id starts with one of the prefixes, their relationships, the spellings (NameKey)
 * only they used, redirects of such ids, and the Changes that touched any of them: what a file wrote beside the
 * article, and nothing else.
 */
export async function removeEntities(db: Db, idPrefixes: readonly string[]): Promise<void> {
  await db.write(async (tx) => {
    await tx.run(
      `MATCH (c:Change) WHERE any(id IN c.touched WHERE any(prefix IN $prefixes WHERE id STARTS WITH prefix))
       DETACH DELETE c`,
      { prefixes: idPrefixes },
    );
    await tx.run(
      `MATCH (r:Redirect) WHERE any(prefix IN $prefixes WHERE r.id STARTS WITH prefix) DETACH DELETE r`,
      { prefixes: idPrefixes },
    );
    await tx.run(
      `MATCH (n:Entity) WHERE any(prefix IN $prefixes WHERE n.id STARTS WITH prefix)
       OPTIONAL MATCH (k:NameKey)-[:NAMES]->(n)
       WITH collect(DISTINCT n) AS entities, collect(DISTINCT k) AS keys
       FOREACH (n IN entities | DETACH DELETE n)
       WITH keys
       UNWIND keys AS k
       WITH k WHERE NOT (k)-[:NAMES]->()
       DELETE k`,
      { prefixes: idPrefixes },
    );
  });
}

/**
 * For a file that writes the article's own ids (reloading it, say): the graph after its tests (and after the
 * afterAll hooks it registers later) must be byte for byte what it was before them.
 */
export function keepsGraph(db: Db): void {
  let before: Awaited<ReturnType<typeof graphSnapshot>>;
  beforeAll(async () => {
    before = await graphSnapshot(db);
  });
  afterAll(async () => {
    expect(await graphSnapshot(db), 'the graph after this file').toEqual(before);
  });
}

/** Everything in the graph, as one comparable string: labels and properties of every node and relationship. */
export async function graphSnapshot(
  db: Db,
): Promise<{ nodes: number; relationships: number; digest: string }> {
  const { createHash } = await import('node:crypto');
  return db.read(async (tx) => {
    const nodes = await tx.run(
      // API keys are not the graph (a file that makes some may run beside this one).
      'MATCH (n) WHERE NOT n:ApiKey WITH n ORDER BY coalesce(n.id, n.key) RETURN collect([labels(n), properties(n)]) AS all',
    );
    const rels = await tx.run(
      'MATCH (a)-[r]->(b) WITH a, r, b ORDER BY coalesce(a.id, a.key), type(r), coalesce(b.id, b.key), r.id RETURN collect([coalesce(a.id, a.key), type(r), coalesce(b.id, b.key), properties(r)]) AS all',
    );
    const n = nodes.records[0]?.get('all') as unknown[];
    const r = rels.records[0]?.get('all') as unknown[];
    const digest = createHash('sha256')
      .update(JSON.stringify([n, r]))
      .digest('hex');
    return { nodes: n.length, relationships: r.length, digest };
  });
}

/** A Db that counts the Cypher statements its reads send, to hold the "no per-row queries" promise. */
export class CountingDb extends Db {
  statements = 0;
  /** The text of every statement counted. */
  sent: string[] = [];

  private counted<R extends Runner>(tx: R): R {
    const counted = Object.create(tx) as R;
    counted.run = ((...args: Parameters<Runner['run']>) => {
      this.statements += 1;
      this.sent.push(String(args[0]));
      return tx.run(...args);
    }) as R['run'];
    return counted;
  }

  override read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return super.read((tx) => work(this.counted(tx)));
  }

  override readOne<T>(work: (tx: Runner) => Promise<T>): Promise<T> {
    return super.readOne((tx) => work(this.counted(tx)));
  }
}

/** The configuration of a real server on the run's Neo4j: loopback, a free port, quiet logs. */
export function testServerConfig(env: Record<string, string> = {}) {
  const c = inject('neo4j');
  return parseConfig({
    NEO4J_URI: c.uri,
    NEO4J_USER: c.user,
    NEO4J_PASSWORD: c.password,
    HOST: '127.0.0.1',
    PORT: '0',
    LOAD_FACTS: 'never',
    LOG_LEVEL: 'silent',
    ...env,
  });
}
