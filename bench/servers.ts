/**
 * The three servers as child processes on 127.0.0.1, each started on a free port with the bench's Neo4j,
 * waited for until it answers /health, and stopped with SIGTERM. Each runs with the statement-counting
 * preload (bench/count-statements.ts) unless asked not to.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerName } from './mix.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Neo4jTarget {
  uri: string;
  user: string;
  password: string;
  database: string;
}

export interface ProcessStats {
  statements: number;
  /** HTTP requests served (the stats port's own not counted). */
  requests: number;
  memory: NodeJS.MemoryUsage;
}

export interface RunningServer {
  name: ServerName;
  /** http://127.0.0.1:port, without a path. */
  origin: string;
  pid: number;
  /** Statements sent and memory so far; null when started without the preload. */
  stats(): Promise<ProcessStats | null>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Load bench/count-statements.ts (default true). */
  count?: boolean;
  /** marketgraph's WORKERS setting; unset leaves it to the service's default. */
  workers?: number;
  /** Extra environment, e.g. LOG_LEVEL for tests. */
  env?: Record<string, string>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** All three run compiled (tsconfig.build.json), as marketgraph runs in production: no TypeScript loader. */
const ENTRIES: Record<ServerName, string> = {
  marketgraph: 'dist/src/server.js',
  'neo4j-graphql': 'dist/bench/peer.js',
  driver: 'dist/bench/floor.js',
};

let built: Promise<void> | undefined;
/** Compiles src/ and bench/ into dist/ once per process (incremental, so a few seconds when nothing changed). */
export function buildServers(): Promise<void> {
  built ??= new Promise<void>((resolve, reject) => {
    const tsc = spawn(
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    tsc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    tsc.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    tsc.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`tsc -p tsconfig.build.json failed:\n${out}`)),
    );
  });
  return built;
}

async function waitForHealth(origin: string, child: ChildProcess, stderr: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}:\n${stderr()}`);
    try {
      const res = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`did not answer /health within ${timeoutMs} ms:\n${stderr()}`);
}

export async function startServer(
  name: ServerName,
  neo4j: Neo4jTarget,
  options: StartOptions = {},
): Promise<RunningServer> {
  const port = await freePort();
  const statsPort = options.count === false ? 0 : await freePort();
  await buildServers();
  const preload =
    options.count === false ? [] : ['--import', path.join(root, 'dist/bench/count-statements.js')];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'production',
    NEO4J_URI: neo4j.uri,
    NEO4J_USER: neo4j.user,
    NEO4J_PASSWORD: neo4j.password,
    NEO4J_DATABASE: neo4j.database,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOAD_FACTS: 'never',
    LOG_LEVEL: 'info',
    BENCH_STATS_PORT: String(statsPort),
    ...(options.workers ? { WORKERS: String(options.workers) } : {}),
    ...options.env,
  };
  // Logs go to /dev/null: marketgraph still formats and writes every request line, as in production.
  const child = spawn(process.execPath, [...preload, path.join(root, ENTRIES[name])], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-8_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(origin, child, () => err, 120_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not start: ${(e as Error).message}`);
  }
  return {
    name,
    origin,
    pid: child.pid ?? -1,
    async stats() {
      if (!statsPort) return null;
      const res = await fetch(`http://127.0.0.1:${statsPort}/`);
      return (await res.json()) as ProcessStats;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
