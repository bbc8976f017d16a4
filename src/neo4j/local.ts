import { type ChildProcessByStdio, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { projectRoot } from '../paths.js';

const toolDir = path.join(projectRoot, 'tools', 'neo4j');
const pomFile = path.join(toolDir, 'pom.xml');
const classpathFile = path.join(toolDir, 'target', 'classpath.txt');

export interface LocalNeo4jOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  heap: string;
  pageCache: string;
  startTimeoutMs?: number;
  /** Default: a fresh random one. Give the same one to restart a database its clients can reconnect to. */
  password?: string;
}

export interface LocalNeo4j {
  uri: string;
  user: string;
  password: string;
  pid: number;
  stop(): Promise<void>;
}

export class LocalNeo4jError extends Error {
  override name = 'LocalNeo4jError';
}

function onPath(command: string, args: string[]): boolean {
  const r = spawnSync(command, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

function requireTools(): void {
  const missing = [
    onPath('java', ['-version']) ? null : 'a JDK 17+ (java)',
    onPath('mvn', ['-v']) ? null : 'Maven (mvn)',
  ].filter((m): m is string => m !== null);
  if (missing.length > 0) {
    throw new LocalNeo4jError(
      `NEO4J_URI is not set, so marketgraph starts a local Neo4j, which needs ${missing.join(' and ')} on the PATH.\n` +
        'Install them (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless maven), ' +
        'or run everything with Docker: docker compose up, ' +
        'or point NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD at a Neo4j 5 you already have.',
    );
  }
}

/** Maven resolves the embedded Neo4j jars once (cached in ~/.m2); the classpath is remembered next to the pom. */
export function resolveClasspath(): string {
  const cached = existsSync(classpathFile) && statSync(classpathFile).mtimeMs >= statSync(pomFile).mtimeMs;
  if (cached) {
    const cp = readFileSync(classpathFile, 'utf8').trim();
    if (cp.split(path.delimiter).every((jar) => existsSync(jar))) return cp;
  }
  requireTools();
  mkdirSync(path.dirname(classpathFile), { recursive: true });
  const r = spawnSync(
    'mvn',
    ['-q', '-B', '-f', pomFile, 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (r.status !== 0 || !existsSync(classpathFile)) {
    throw new LocalNeo4jError(`Maven could not resolve the Neo4j jars:\n${r.stdout}${r.stderr}`);
  }
  return readFileSync(classpathFile, 'utf8').trim();
}

/** Starts Neo4j through its embedded API (tools/neo4j/Launcher.java) and resolves once Bolt accepts connections. */
export async function startLocalNeo4j(options: LocalNeo4jOptions): Promise<LocalNeo4j> {
  requireTools();
  const classpath = resolveClasspath();
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // A fresh password per start: the launcher sets it, so no secret is ever stored on disk.
  const password = options.password ?? randomBytes(18).toString('base64url');
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(
    'java',
    [
      `-Xmx${options.heap}`,
      `-Xms${options.heap}`,
      '-XX:+UseG1GC',
      '-cp',
      classpath,
      path.join(toolDir, 'Launcher.java'),
      dataDir,
      String(options.port ?? 0),
      options.pageCache,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, MARKETGRAPH_NEO4J_PASSWORD: password } },
  );

  let output = '';
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new LocalNeo4jError(`Neo4j did not start within ${options.startTimeoutMs ?? 180_000} ms:\n${output}`),
      );
    }, options.startTimeoutMs ?? 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /BOLT_READY (bolt:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new LocalNeo4jError(`Neo4j exited with code ${code} before it was ready:\n${output.slice(-4000)}`),
      );
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new LocalNeo4jError(`Could not run java: ${err.message}`));
    });
  });
  child.stdout.resume();
  child.stderr.resume();

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    uri,
    user: 'neo4j',
    password,
    pid: child.pid ?? -1,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
