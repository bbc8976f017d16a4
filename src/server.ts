import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { type Config, parseConfig } from './config.js';
import { connect } from './neo4j/connect.js';
import { LocalNeo4jError } from './neo4j/local.js';
import { DatasetError } from './seed/facts.js';
import { isEmpty, seedFile } from './seed/seed.js';
import { createApp } from './yoga.js';

export interface Running {
  url: string;
  close(): Promise<void>;
}

/** Connects (or starts the local Neo4j), seeds an empty database, serves GraphQL; close() undoes all of it. */
export async function start(config: Config, log: (line: string) => void = console.log): Promise<Running> {
  const connection = await connect(config, { share: true });
  try {
    const seed =
      config.seed.mode === 'always' || (config.seed.mode === 'if-empty' && (await isEmpty(connection.db)));
    if (seed) {
      const report = await seedFile(connection.db, config.seed.file);
      log(`Seeded ${config.seed.file}: ${report.entities} entities, ${report.relationships} relationships.`);
    }
  } catch (err) {
    await connection.close();
    throw err;
  }

  const logger = pino({ level: config.logLevel, base: { service: 'marketgraph' } });
  const yoga = createApp({
    db: connection.db,
    graphiql: config.graphiql,
    introspection: config.introspection,
    limits: config.limits,
    maxBodyBytes: config.maxBodyBytes,
    batchLimit: config.batchLimit,
    corsOrigins: config.corsOrigins,
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
        await connection.close();
      })();
      return closing;
    },
  };
}

async function main() {
  let running: Running;
  try {
    running = await start(parseConfig());
  } catch (err) {
    if (
      err instanceof DatasetError ||
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
      console.log(`${signal}: finishing requests in flight, then stopping`);
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
