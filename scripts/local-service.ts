/**
 * A throwaway marketgraph for the scripts that drive the explorer (screenshots, its benchmark): the service on
 * a free loopback port, as the tests start it, over NEO4J_URI when it is set or else a local Neo4j of its own
 * in a temporary folder, with the article's facts loaded. Given a facts file, it always starts its own Neo4j:
 * nobody's database gets another file's facts. stop() undoes all of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../src/config.js';
import { start } from '../src/server.js';
import { buildExplorer } from './build-explorer.js';

export interface LocalService {
  /** http://127.0.0.1:port, without a path. */
  origin: string;
  stop(): Promise<void>;
}

export async function startLocalService(options: { factsFile?: string } = {}): Promise<LocalService> {
  await buildExplorer();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'marketgraph-service-'));
  const { NEO4J_URI, ...env } = process.env;
  const config = parseConfig({
    ...env,
    ...(NEO4J_URI && !options.factsFile ? { NEO4J_URI } : {}),
    HOST: '127.0.0.1',
    PORT: '0',
    NEO4J_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    LOAD_FACTS: options.factsFile ? 'always' : 'if-empty',
    ...(options.factsFile ? { FACTS_FILE: options.factsFile } : {}),
  });
  let running: Awaited<ReturnType<typeof start>>;
  try {
    running = await start(config, () => {});
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    origin: new URL(running.url).origin,
    async stop() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
