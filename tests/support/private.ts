import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadFacts } from '../../src/facts/load.js';
import { createDriver, Db } from '../../src/neo4j/driver.js';
import { type LocalNeo4j, startLocalNeo4j } from '../../src/neo4j/local.js';
import { migrate } from '../../src/neo4j/migrate.js';
import { articleFactsPath } from './paths.js';

export interface PrivateNeo4j {
  /** Set in beforeAll. */
  db: Db;
  local: LocalNeo4j;
  dataDir: string;
  password: string;
  /** Stops Neo4j and starts it again on the same store (the Db reconnects by itself). */
  restart(): Promise<void>;
}

/**
 * A Neo4j of the calling file's own (not the shared one from the global setup), migrated and, unless asked
 * otherwise, holding the article's facts: for files that change shared entities freely, empty the graph, or
 * kill the database. About 10 s to start; stopped and removed after the file.
 */
export function privateNeo4j(options: { seed?: boolean } = {}): PrivateNeo4j {
  const password = randomBytes(18).toString('base64url');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'marketgraph-private-'));
  const heap = { heap: '512m', pageCache: '64m' };
  const self = {
    password,
    dataDir,
    async restart() {
      await self.local.stop();
      self.local = await startLocalNeo4j({
        dataDir,
        port: Number(new URL(self.local.uri).port),
        password,
        ...heap,
      });
    },
  } as PrivateNeo4j;
  beforeAll(async () => {
    self.local = await startLocalNeo4j({ dataDir, port: 0, password, ...heap });
    self.db = new Db(
      createDriver({ ...self.local, database: 'neo4j', txTimeoutMs: 60_000 }),
      'neo4j',
      60_000,
    );
    await migrate(self.db.driver, 'neo4j');
    if (options.seed ?? true) await loadFacts(self.db, articleFactsPath);
  }, 120_000);
  afterAll(async () => {
    await self.db?.close();
    await self.local?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return self;
}
