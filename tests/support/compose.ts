import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { root } from './paths.js';

/** What the compose tests read of a service. */
export interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, unknown> | string[];
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test?: string | string[] };
  depends_on?: Record<string, { condition?: string }> | string[];
}
export interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** A compose file of the project, parsed as Compose reads it (YAML anchors and merge keys `<<` included). */
export function readCompose(file: string): Compose {
  return parse(readFileSync(path.join(root, file), 'utf8'), { merge: true }) as Compose;
}

/** A service's environment as KEY -> value as written, `${...}` left as it is. */
export function rawEnv(service: Service): Record<string, string> {
  const raw = service.environment ?? {};
  const pairs = Array.isArray(raw)
    ? raw.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    : Object.entries(raw).map(([k, v]) => [k, String(v)]);
  return Object.fromEntries(pairs);
}

/** A service's environment with `${VAR:-default}` resolved as if VAR were unset. */
export function env(service: Service): Record<string, string> {
  return Object.fromEntries(
    Object.entries(rawEnv(service)).map(([k, v]) => [k, v.replace(/\$\{\w+:-([^}]*)\}/g, '$1')]),
  );
}

export const hasDockerCompose =
  spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).error === undefined;
