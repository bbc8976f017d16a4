import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { env, hasDockerCompose, rawEnv, readCompose } from './support/compose.js';

/** docker-compose.cluster.yml, checked without Docker: a three-server Neo4j cluster, two instances, nginx. */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const composeFile = path.join(root, 'docker-compose.cluster.yml');

// The file shares settings between servers with YAML anchors and merge keys (`<<`), as Compose reads them.
const compose = readCompose('docker-compose.cluster.yml');
const services = Object.entries(compose.services);
const servers = services.filter(([, s]) => s.image?.startsWith('neo4j:'));
const instances = services.filter(([, s]) => s.build !== undefined);
const balancers = services.filter(([, s]) => s.image?.startsWith('nginx:'));
const serverNames = servers.map(([name]) => name);

/** Every service a service waits for, directly or through the services it waits for, with the condition. */
function waitsFor(
  name: string,
  seen = new Map<string, string | undefined>(),
): Map<string, string | undefined> {
  const deps = compose.services[name]?.depends_on ?? {};
  const entries = Array.isArray(deps)
    ? deps.map((d) => [d, undefined] as const)
    : Object.entries(deps).map(([d, c]) => [d, c.condition] as const);
  for (const [dep, condition] of entries) {
    if (seen.has(dep)) continue;
    seen.set(dep, condition);
    waitsFor(dep, seen);
  }
  return seen;
}

describe('docker-compose.cluster.yml: the Neo4j cluster', () => {
  it('runs three Neo4j 5.26 Enterprise servers, each its data in a named volume of its own', () => {
    expect(serverNames).toHaveLength(3);
    const volumes = servers.map(([name, s]) => {
      expect(s.image, name).toMatch(/^neo4j:5\.26(\.\d+)?-enterprise$/);
      const mount = s.volumes?.find((v) => v.split(':')[1] === '/data');
      const volume = mount?.split(':')[0] ?? '';
      expect(volume, name).toMatch(/^[\w-]+$/);
      expect(Object.keys(compose.volumes ?? {})).toContain(volume);
      return volume;
    });
    expect(new Set(volumes).size).toBe(3);
  });

  it('leaves accepting the Enterprise licence to the user’s environment: no default, refused when unset', () => {
    for (const [name, s] of servers) {
      expect(rawEnv(s).NEO4J_ACCEPT_LICENSE_AGREEMENT, name).toMatch(
        /^\$\{NEO4J_ACCEPT_LICENSE_AGREEMENT:\?[^}]+\}$/,
      );
    }
    // Nor does anything else in the file accept it (a .env file is the user's own).
    for (const [name, s] of services) {
      const value = rawEnv(s).NEO4J_ACCEPT_LICENSE_AGREEMENT;
      if (value !== undefined) expect(value, name).toMatch(/^\$\{NEO4J_ACCEPT_LICENSE_AGREEMENT:\?/);
      expect(Object.keys(s), name).not.toContain('env_file');
    }
  });

  it('forms one cluster: every server lists every server for discovery and advertises its own name', () => {
    for (const [name, s] of servers) {
      const e = env(s);
      expect(e.NEO4J_dbms_cluster_discovery_version, name).toBe('V2_ONLY');
      const endpoints = (e.NEO4J_dbms_cluster_discovery_v2_endpoints ?? '').split(',');
      expect(endpoints.sort(), name).toEqual(serverNames.map((n) => `${n}:6000`).sort());
      expect(e.NEO4J_server_default__advertised__address, name).toBe(name);
      expect(e.NEO4J_initial_server_mode__constraint, name).toBe('PRIMARY');
      // The database on every server: a leader for writes, followers for reads.
      expect(e.NEO4J_initial_dbms_default__primaries__count, name).toBe('3');
      expect(e.NEO4J_AUTH, name).toMatch(/^neo4j\/.{8,}$/);
    }
    expect(new Set(servers.map(([, s]) => env(s).NEO4J_AUTH)).size).toBe(1);
  });

  it('checks each server’s health over Bolt, and publishes none of their ports', () => {
    for (const [name, s] of servers) {
      const test = JSON.stringify(s.healthcheck?.test);
      expect(test, name).toContain('cypher-shell');
      expect(test, name).toContain('--access-mode read');
      expect(s.ports, name).toBeUndefined();
    }
  });
});

describe('docker-compose.cluster.yml: the instances and the load balancer', () => {
  it('runs two marketgraph instances from the repository’s Dockerfile, each with a routing driver', () => {
    expect(instances).toHaveLength(2);
    const seeds = instances.map(([name, s]) => {
      expect(s.build, name).toBe('.');
      const e = env(s);
      const config = parseConfig({ ...e, NODE_ENV: 'production' });
      expect(config.host, name).toBe('0.0.0.0');
      expect(config.port, name).toBe(4000);
      const uri = new URL(config.neo4j.uri ?? '');
      expect(uri.protocol, name).toBe('neo4j:');
      expect(serverNames, name).toContain(uri.hostname);
      expect(e.NEO4J_PASSWORD, name).toBe(env(servers[0]?.[1] ?? {}).NEO4J_AUTH?.replace(/^neo4j\//, ''));
      // Published only through the load balancer.
      expect(s.ports, name).toBeUndefined();
      return uri.hostname;
    });
    // Each seeded with a different server, so either starts while one server is down.
    expect(new Set(seeds).size).toBe(2);
  });

  it('starts the instances once every server is healthy, and loads the facts from one only', () => {
    for (const [name] of instances) {
      const waits = waitsFor(name);
      for (const server of serverNames)
        expect(waits.get(server), `${name} -> ${server}`).toBe('service_healthy');
    }
    const loads = instances.map(([, s]) => parseConfig({ ...env(s), NODE_ENV: 'production' }).facts.load);
    expect(loads.filter((l) => l !== 'never')).toHaveLength(1);
  });

  it('puts nginx in front of both instances on port 4000, with its configuration from deploy/', () => {
    expect(balancers).toHaveLength(1);
    const [name, lb] = balancers[0] ?? ['', {}];
    expect(lb.ports).toEqual(['4000:4000']);
    for (const [instance] of instances) expect(waitsFor(name).get(instance)).toBe('service_healthy');
    const mount = lb.volumes?.find((v) => v.split(':')[1] === '/etc/nginx/conf.d/default.conf');
    expect(mount).toBeDefined();
    const file = path.join(root, (mount as string).split(':')[0] as string);
    expect(path.relative(root, file)).toBe(path.join('deploy', 'nginx.conf'));
    expect(existsSync(file)).toBe(true);

    const conf = readFileSync(file, 'utf8').replace(/#.*$/gm, '');
    const upstream = /upstream\s+(\w+)\s*\{([^}]*)\}/.exec(conf);
    expect(upstream).not.toBeNull();
    const members = [...(upstream?.[2] ?? '').matchAll(/server\s+([\w.-]+):(\d+)/g)].map(
      (m) => `${m[1]}:${m[2]}`,
    );
    expect(members.sort()).toEqual(instances.map(([n]) => `${n}:4000`).sort());
    expect(conf).toMatch(/listen\s+4000;/);
    expect(conf).toContain(`proxy_pass http://${upstream?.[1]};`);
    // The bookmark and the request id pass through as they are.
    expect(conf).not.toMatch(/proxy_(hide|pass)_header|proxy_set_header\s+x-(bookmark|request-id)/i);
    expect(conf).not.toMatch(/non_idempotent/);
  });

  const validName = hasDockerCompose
    ? 'is accepted by `docker-compose config`, and refused without the licence acceptance'
    : 'is accepted by `docker-compose config` (skipped: docker-compose is not on the PATH)';
  it.skipIf(!hasDockerCompose)(validName, () => {
    const { NEO4J_ACCEPT_LICENSE_AGREEMENT: _, ...without } = process.env;
    const run = (environment: NodeJS.ProcessEnv) =>
      spawnSync('docker-compose', ['-f', composeFile, 'config', '-q'], {
        encoding: 'utf8',
        cwd: root,
        env: environment,
      });
    const accepted = run({ ...without, NEO4J_ACCEPT_LICENSE_AGREEMENT: 'yes' });
    expect(accepted.status, accepted.stderr).toBe(0);
    const refused = run(without);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('NEO4J_ACCEPT_LICENSE_AGREEMENT');
  });
});
