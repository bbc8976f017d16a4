import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { env, hasDockerCompose, readCompose, type Service } from './support/compose.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const composeFile = path.join(root, 'docker-compose.yml');
const dockerfile = path.join(root, 'Dockerfile');

const compose = readCompose('docker-compose.yml');
const neo4j = compose.services.neo4j as Service;
const app = compose.services.marketgraph as Service;

describe('docker-compose.yml', () => {
  it('runs Neo4j 5.26 Community with authentication on', () => {
    expect(neo4j.image).toMatch(/^neo4j:5\.26(\.\d+)?-community$/);
    expect(env(neo4j).NEO4J_AUTH).toMatch(/^neo4j\/.{8,}$/);
  });

  it('keeps the database in a named volume mounted at /data', () => {
    const mount = neo4j.volumes?.find((v) => v.split(':')[1] === '/data');
    expect(mount).toBeDefined();
    const name = (mount as string).split(':')[0] as string;
    expect(name).not.toMatch(/^[./~]/);
    expect(Object.keys(compose.volumes ?? {})).toContain(name);
  });

  it('binds Neo4j to loopback only and publishes the API on 4000', () => {
    expect(neo4j.ports).toEqual(['127.0.0.1:7474:7474', '127.0.0.1:7687:7687']);
    expect(app.ports).toEqual(['4000:4000']);
  });

  it('starts the app only once Neo4j answers over Bolt', () => {
    expect(JSON.stringify(neo4j.healthcheck?.test)).toContain('cypher-shell');
    expect(app.depends_on).toEqual({ neo4j: { condition: 'service_healthy' } });
  });

  it('gives the app a configuration it accepts, pointing at the neo4j service', () => {
    const e = env(app);
    expect(e.NEO4J_URI).toBe('bolt://neo4j:7687');
    expect(e.NEO4J_PASSWORD).toBe(env(neo4j).NEO4J_AUTH?.replace(/^neo4j\//, ''));
    const config = parseConfig({ ...e, NODE_ENV: 'production' });
    expect(config.host).toBe('0.0.0.0');
    expect(config.port).toBe(4000);
    expect(config.neo4j.uri).toBe('bolt://neo4j:7687');
  });

  const validName = hasDockerCompose
    ? 'is accepted by `docker-compose config`'
    : 'is accepted by `docker-compose config` (skipped: docker-compose is not on the PATH)';
  it.skipIf(!hasDockerCompose)(validName, () => {
    const result = spawnSync('docker-compose', ['-f', composeFile, 'config', '-q'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  });
});

describe('Dockerfile', () => {
  const text = existsSync(dockerfile) ? readFileSync(dockerfile, 'utf8') : '';
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const last = (keyword: string) =>
    instructions.filter((l) => l.toUpperCase().startsWith(`${keyword} `)).at(-1);

  it('builds on Node 20, runs as a non-root user and starts the compiled src/server.ts', () => {
    expect(existsSync(dockerfile)).toBe(true);
    expect(last('FROM')).toMatch(/^FROM node:20\b/);
    expect(last('USER')).toBeDefined();
    expect(last('USER')).not.toMatch(/^USER (root|0)(:|$)/);
    expect(last('CMD')).toContain('dist/src/server.js');
    expect(instructions).toContain('RUN npx tsc -p tsconfig.build.json');
  });

  it('copies what the app reads at start: src, schema and facts', () => {
    for (const dir of ['src', 'schema', 'facts']) {
      expect(instructions.some((l) => /^COPY /.test(l) && l.split(/\s+/).includes(dir))).toBe(true);
    }
  });

  it('builds the explorer page the service serves at /explore (dist/explorer)', () => {
    const copies = (source: string) =>
      instructions.some((l) => /^COPY /.test(l) && l.split(/\s+/).slice(1, -1).includes(source));
    expect(copies('explorer')).toBe(true);
    expect(copies('scripts/build-explorer.ts')).toBe(true);
    // The build script is copied alone: it may import packages, not other files of the project.
    const script = readFileSync(path.join(root, 'scripts', 'build-explorer.ts'), 'utf8');
    expect(script).not.toMatch(/from '\.{1,2}\//);
    const run = instructions.findIndex((l) => /^RUN .*scripts\/build-explorer\.ts/.test(l));
    expect(run).toBeGreaterThan(instructions.findIndex((l) => /^COPY explorer\b/.test(l)));
    expect(run).toBeLessThan(instructions.findIndex((l) => /^CMD /.test(l)));
  });
});
