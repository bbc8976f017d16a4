import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildExplorer } from '../../scripts/build-explorer.js';
import { loadFacts } from '../../src/facts/load.js';
import { createDriver, Db } from '../../src/neo4j/driver.js';
import { type LocalNeo4j, startLocalNeo4j } from '../../src/neo4j/local.js';
import { migrate } from '../../src/neo4j/migrate.js';
import { articleFactsPath } from './paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: { uri: string; user: string; password: string; database: string };
  }
}

/**
 * Starts one throwaway Neo4j (fresh temp data directory, free port) for the whole run, or uses NEO4J_URI
 * when it is given. Constraints are applied and the article's facts loaded once here, for every file: files
 * that only read rely on them; a file that writes more uses ids of its own and removes them after its tests.
 */
export default async function setup(project: TestProject) {
  // The explorer's bundles (dist/explorer), which the service serves at /explore, are built while Neo4j starts;
  // a failed build fails the setup below, where the Neo4j started here is stopped.
  const explorerBuilt = buildExplorer().then(
    () => null,
    (err: unknown) => err,
  );
  let local: LocalNeo4j | undefined;
  let dataDir: string | undefined;
  let conn: { uri: string; user: string; password: string; database: string };
  if (process.env.NEO4J_URI) {
    conn = {
      uri: process.env.NEO4J_URI,
      user: process.env.NEO4J_USER ?? 'neo4j',
      password: process.env.NEO4J_PASSWORD ?? '',
      database: process.env.NEO4J_DATABASE ?? 'neo4j',
    };
  } else {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'marketgraph-test-'));
    local = await startLocalNeo4j({ dataDir, port: 0, heap: '512m', pageCache: '64m' });
    conn = { uri: local.uri, user: local.user, password: local.password, database: 'neo4j' };
  }
  const driver = createDriver({ ...conn, txTimeoutMs: 30_000 });
  try {
    const explorerFailed = await explorerBuilt;
    if (explorerFailed) throw explorerFailed;
    await driver.verifyConnectivity();
    await migrate(driver, conn.database);
    await loadFacts(new Db(driver, conn.database, 30_000), articleFactsPath);
  } catch (err) {
    // No teardown runs when the setup throws: the Neo4j started here must not outlive the run.
    await local?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  } finally {
    await driver.close();
  }
  project.provide('neo4j', conn);

  return async () => {
    await local?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
