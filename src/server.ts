import cluster from 'node:cluster';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { type Config, parseConfig } from './config.js';
import { FactsError } from './facts/file.js';
import { isEmpty, loadFacts } from './facts/load.js';
import { createApp } from './http/app.js';
import { type Connected, connect } from './neo4j/connect.js';
import { LocalNeo4jError } from './neo4j/local.js';

export interface Running {
  url: string;
  close(): Promise<void>;
}

/** Connects (or starts the local Neo4j) and loads the article facts into an empty database; on failure nothing is left running. */
async function prepare(config: Config, log: (line: string) => void): Promise<Connected> {
  const connection = await connect(config, { share: true });
  try {
    const load =
      config.facts.load === 'always' || (config.facts.load === 'if-empty' && (await isEmpty(connection.db)));
    if (load) {
      for (const report of await loadFacts(connection.db, config.facts.file)) {
        log(
          `Loaded ${config.facts.file}: ${report.entities} entities, ${report.relationships} relationships.`,
        );
      }
    }
  } catch (err) {
    await connection.close();
    throw err;
  }
  return connection;
}

/** Connects (or starts the local Neo4j), loads the article facts into an empty database, serves GraphQL; close() undoes all of it. */
export async function start(config: Config, log: (line: string) => void = console.log): Promise<Running> {
  const connection = await prepare(config, log);

  // Log lines are buffered and written a few kilobytes at a time, not one write per request; the buffer is
  // flushed on close and when the process exits.
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const logger = pino({ level: config.logLevel, base: { service: 'marketgraph' } }, destination);
  const flush = () => {
    try {
      destination.flushSync();
    } catch {
      // A write still in flight finishes on its own; nothing is left to flush.
    }
  };
  process.once('exit', flush);
  const yoga = createApp({
    db: connection.db,
    graphiql: config.graphiql,
    explorer: config.explorer,
    introspection: config.introspection,
    limits: config.limits,
    maxBodyBytes: config.maxBodyBytes,
    batchLimit: config.batchLimit,
    corsOrigins: config.corsOrigins,
    readAccess: config.readAccess,
    logger,
  });
  const server = createServer(yoga);
  server.requestTimeout = config.neo4j.txTimeoutMs + 5_000;
  // Responses sent while closing say "Connection: close", so a keep-alive client lets go as soon as it has its
  // answer instead of holding the shutdown until its idle timeout or the grace period.
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  const lastOnConnection = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  server.on('request', (_req, res: ServerResponse) => {
    if (draining) return lastOnConnection(res);
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}${yoga.graphqlEndpoint}`;
  log(`marketgraph serving ${url} (Neo4j at ${connection.describe})`);

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        // Stop accepting, let requests in flight finish (up to the grace period), then close the driver.
        draining = true;
        for (const res of inFlight) lastOnConnection(res);
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          server.closeIdleConnections();
        });
        process.off('exit', flush);
        flush();
        await connection.close();
      })();
      return closing;
    },
  };
}

const WORKER_CONFIG = 'MARKETGRAPH_WORKER_CONFIG';

/**
 * WORKERS > 1: this process prepares Neo4j and the data, then forks that many workers which share the port
 * (node:cluster) and each serve GraphQL with their own driver; a worker that dies is replaced. The workers
 * keep no state between requests, so which one answers does not matter. close() stops the workers, then Neo4j.
 */
export async function startWorkers(
  config: Config,
  log: (line: string) => void = console.log,
): Promise<Running> {
  const connection = await prepare(config, log);
  // Workers run this file whoever started the primary (npm start, a test runner, a benchmark).
  const self = fileURLToPath(import.meta.url);
  cluster.setupPrimary({
    exec: self,
    // Compiled (dist/), the workers run as plain JavaScript; from the sources, through tsx like the primary.
    execArgv: self.endsWith('.ts') ? ['--import', 'tsx'] : [],
    silent: false,
  });
  let stopping = false;
  // The workers take this very configuration (it may not come from the environment), loading facts aside.
  const workerConfig: Config = { ...config, facts: { ...config.facts, load: 'never' }, workers: 1 };
  const fork = () => cluster.fork({ [WORKER_CONFIG]: JSON.stringify(workerConfig) });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log(`worker ${worker.process.pid} stopped (${signal ?? code}); starting another`);
    fork();
  });
  const listening = new Promise<number>((resolve, reject) => {
    let up = 0;
    cluster.on('listening', (_worker, address) => {
      up += 1;
      if (up === config.workers) resolve(address.port);
    });
    cluster.once('exit', (_worker, code) => {
      if (up < config.workers) reject(new Error(`a worker exited with code ${code} before it was serving`));
    });
  });
  for (let i = 0; i < config.workers; i++) fork();
  let port: number;
  try {
    port = await listening;
  } catch (err) {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    await connection.close();
    throw err;
  }
  const url = `http://${config.host}:${port}/graphql`;
  log(`marketgraph serving ${url} (${config.workers} workers, Neo4j at ${connection.describe})`);
  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        stopping = true;
        const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
        await Promise.all(
          workers.map(
            (w) =>
              new Promise<void>((resolve) => {
                if (w.isDead()) return resolve();
                w.once('exit', () => resolve());
                w.kill('SIGTERM');
              }),
          ),
        );
        await connection.close();
      })();
      return closing;
    },
  };
}

async function main() {
  let running: Running;
  try {
    const given = process.env[WORKER_CONFIG];
    const config: Config = cluster.isWorker && given ? (JSON.parse(given) as Config) : parseConfig();
    running =
      config.workers > 1 && cluster.isPrimary
        ? await startWorkers(config)
        : await start(config, cluster.isWorker ? () => {} : console.log);
  } catch (err) {
    if (
      err instanceof FactsError ||
      err instanceof LocalNeo4jError ||
      (err as Error).message?.startsWith('Invalid configuration')
    ) {
      console.error((err as Error).message);
    } else {
      console.error(err);
    }
    process.exit(1);
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (!cluster.isWorker) console.log(`${signal}: finishing requests in flight, then stopping`);
      running.close().then(
        () => process.exit(0),
        (err) => {
          console.error(err);
          process.exit(1);
        },
      );
    });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
