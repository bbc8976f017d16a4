import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { createDriver, Db } from './driver.js';
import { startLocalNeo4j } from './local.js';
import { migrate } from './migrate.js';

export interface Connected {
  db: Db;
  /** Where the data lives, for messages: the URI, and the data directory when it is the local launcher. */
  describe: string;
  close(): Promise<void>;
}

interface LocalConnection {
  uri: string;
  user: string;
  password: string;
  pid: number;
}

const connectionFile = (dataDir: string) => path.join(path.resolve(dataDir), 'connection.json');

/** The local Neo4j another marketgraph process (npm start) is running on this data directory, if any. */
function runningLocal(dataDir: string): LocalConnection | null {
  const file = connectionFile(dataDir);
  if (!existsSync(file)) return null;
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as LocalConnection;
    process.kill(c.pid, 0);
    return c;
  } catch {
    return null;
  }
}

async function open(config: Config, c: { uri: string; user: string; password: string }): Promise<Db> {
  const driver = createDriver({
    ...c,
    database: config.neo4j.database,
    txTimeoutMs: config.neo4j.txTimeoutMs,
    connectTimeoutMs: config.neo4j.connectTimeoutMs,
  });
  try {
    await driver.verifyConnectivity({ database: config.neo4j.database });
    await migrate(driver, config.neo4j.database);
  } catch (err) {
    await driver.close();
    throw err;
  }
  return new Db(
    driver,
    config.neo4j.database,
    config.neo4j.txTimeoutMs,
    1_000,
    config.neo4j.maxRetryMs,
    config.neo4j.connectTimeoutMs,
  );
}

/**
 * Connects to NEO4J_URI when it is set; otherwise to the local Neo4j already serving the data directory,
 * or starts one. Constraints and indexes are applied before this returns.
 */
export async function connect(config: Config, options: { share?: boolean } = {}): Promise<Connected> {
  const n = config.neo4j;
  if (n.uri) {
    const db = await open(config, { uri: n.uri, user: n.user, password: n.password ?? '' });
    return { db, describe: n.uri, close: () => db.close() };
  }
  const existing = runningLocal(n.local.dataDir);
  if (existing) {
    // A stale file (its process gone, its pid reused) falls through to starting our own Neo4j.
    const db = await open(config, existing).catch(() => null);
    if (db) return { db, describe: `${existing.uri} (local, ${n.local.dataDir})`, close: () => db.close() };
  }
  const local = await startLocalNeo4j({
    dataDir: n.local.dataDir,
    heap: n.local.heap,
    pageCache: n.local.pageCache,
  });
  const file = connectionFile(n.local.dataDir);
  if (options.share) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({ uri: local.uri, user: local.user, password: local.password, pid: process.pid }),
    );
    chmodSync(file, 0o600);
  }
  let db: Db;
  try {
    db = await open(config, local);
  } catch (err) {
    await local.stop();
    throw err;
  }
  return {
    db,
    describe: `${local.uri} (local, ${n.local.dataDir})`,
    async close() {
      if (options.share) rmSync(file, { force: true });
      await db.close();
      await local.stop();
    },
  };
}
