/**
 * The side-by-side benchmark: marketgraph (as in production), the Neo4j GraphQL Library and a bare driver floor
 * over the same Neo4j and data, driven in turn by autocannon at fixed concurrency, interleaved per query and
 * repeated; then growth across sizes, a soak of marketgraph under the mix, and a WORKERS scaling run.
 *
 *   npm run bench                  sizes 10k, 100k, 1M (1M takes its time), soak 5 min, scaling run
 *   npm run bench -- --quick       10k only, short rounds, a 30 s soak, no scaling run: a few minutes
 * Flags: --sizes 10000,100000  --seconds 10  --rounds 3  --warmup 5  --soak 300  --connections 8  --seed 1
 *        --fresh (reload every size)  --no-scaling  --heap 4g --pagecache 4g (local Neo4j)  --out bench/results
 * With NEO4J_URI set, the graph found there is measured as it is (one "size": its entity count).
 * Results: bench/results/latest.json, latest.md, side-by-side.svg, growth.svg.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchGraph, type LoadRecord, openBenchGraph } from './graph.js';
import { ask, drive, type Load, median, mixRequests, sameFacts } from './measure.js';
import { MIX, type MixQuery, SERVERS, type ServerName } from './mix.js';
import { renderCharts, renderMarkdown } from './report.js';
import { type RunningServer, startServer } from './servers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Settings {
  quick: boolean;
  sizes: number[];
  seconds: number;
  rounds: number;
  warmup: number;
  soak: number;
  connections: number;
  seed: number;
  fresh: boolean;
  scaling: boolean;
  heap?: string;
  pageCache?: string;
  out: string;
}

export interface ServerResult {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  /** Cypher statements per request, counted in the server's process. */
  statements: number;
  /** Sampled answers whose facts differ from the driver floor's (null: not compared). */
  wrong: number | null;
  samples: number;
  rounds: Load[];
}

export interface QueryResult {
  query: string;
  title: string;
  size: number;
  servers: Partial<Record<ServerName, ServerResult | null>>;
  ratios: { rps_vs_peer: number | null; p99_vs_peer: number | null; p50_vs_floor: number | null };
  peer: string | null;
}

export interface MixResult {
  size: number;
  servers: Partial<Record<ServerName, Load>>;
  relative: Partial<Record<ServerName, { p50: number; p99: number; rps: number }>>;
}

export interface SoakSample {
  seconds: number;
  rssMb: number;
  heapUsedMb: number;
}

export interface SoakResult {
  size: number;
  seconds: number;
  load: Load;
  samples: SoakSample[];
  /** Fitted growth over the run (see trend()). */
  rssGrowthMb: number;
  heapGrowthMb: number;
  /** The same over the second half only: what is left once caches and JIT have settled. */
  rssGrowthSecondHalfMb: number;
  heapGrowthSecondHalfMb: number;
}

export interface ScalingResult {
  size: number;
  workers: { workers: number; load: Load }[];
  speedup: number;
}

export interface Results {
  generatedAt: string;
  machine: { cpus: number; memoryGiB: number; node: string };
  settings: Settings;
  versions: Record<string, string>;
  graphs: { size: number; entities: number; note: string }[];
  queries: QueryResult[];
  growth: MixResult[];
  load: LoadRecord[];
  soak: SoakResult | null;
  scaling: ScalingResult | null;
}

function parseArgs(argv: string[]): Settings {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(a.slice(2), next);
      i++;
    } else flags.set(a.slice(2), true);
  }
  const known = ['quick', 'sizes', 'seconds', 'rounds', 'warmup', 'soak', 'connections', 'seed', 'fresh'];
  for (const k of flags.keys()) {
    if (![...known, 'no-scaling', 'heap', 'pagecache', 'out'].includes(k))
      throw new Error(`unknown flag --${k}`);
  }
  const quick = flags.get('quick') === true;
  const num = (name: string, fallback: number, min = 1) => {
    const v = flags.get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be an integer >= ${min}, not "${v}"`);
    return n;
  };
  const sizesFlag = flags.get('sizes');
  // Ascending: growth is relative to the first, the soak runs at the last.
  const sizes =
    typeof sizesFlag === 'string'
      ? sizesFlag
          .split(',')
          .map((s) => {
            const n = Number(s.replace(/k$/i, '000').replace(/m$/i, '000000'));
            if (!Number.isInteger(n) || n < 1) throw new Error(`bad size "${s}"`);
            return n;
          })
          .sort((a, b) => a - b)
      : quick
        ? [10_000]
        : [10_000, 100_000, 1_000_000];
  const text = (name: string) => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  return {
    quick,
    sizes,
    seconds: num('seconds', quick ? 3 : 10),
    rounds: num('rounds', quick ? 2 : 3),
    warmup: num('warmup', quick ? 1 : 5),
    soak: num('soak', quick ? 30 : 300, 0),
    connections: num('connections', 8),
    seed: num('seed', 1),
    fresh: flags.get('fresh') === true,
    scaling: !quick && flags.get('no-scaling') !== true,
    heap: text('heap'),
    pageCache: text('pagecache'),
    out: path.resolve(root, text('out') ?? 'bench/results'),
  };
}

const started = Date.now();
const log = (line: string) => {
  const t = ((Date.now() - started) / 1000).toFixed(0).padStart(5);
  console.log(`[${t}s] ${line}`);
};

/** Rotates the order servers are driven in, so none is always first (or last) after a given other. */
const rotated = <T>(xs: readonly T[], by: number): T[] => xs.map((_, i) => xs[(i + by) % xs.length] as T);

function version(pkg: string): string {
  try {
    const file = path.join(root, 'node_modules', pkg, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function startAll(graph: BenchGraph): Promise<RunningServer[]> {
  const running: RunningServer[] = [];
  try {
    for (const name of SERVERS) {
      running.push(await startServer(name, graph.target));
      log(`  ${name} up`);
    }
  } catch (err) {
    await Promise.all(running.map((s) => s.stop()));
    throw err;
  }
  return running;
}

interface Tally {
  loads: Load[];
  statements: number[];
  wrong: number;
  samples: number;
}

/** Asks every server every query once and counts, per server and query, answers that differ from the floor's. */
async function sample(servers: RunningServer[], tallies: Map<string, Tally>, size: number) {
  for (const q of MIX) {
    const driverServer = servers.find((s) => s.name === 'driver');
    if (!driverServer) throw new Error('the driver floor is not running');
    const reference = await ask(driverServer, q);
    for (const s of servers) {
      if (!q[s.name]) continue;
      const tally = tallies.get(`${q.name}|${s.name}`);
      if (!tally) continue;
      const answer = s.name === 'driver' ? reference : await ask(s, q);
      tally.samples += 1;
      const compared = !(s.name === 'neo4j-graphql' && q.peerNotCompared);
      if (!answer.ok || !reference.ok || (compared && !sameFacts(answer.facts, reference.facts))) {
        tally.wrong += 1;
        if (tally.wrong === 1) {
          log(`  ${s.name} ${q.name} @${size}: answer differs from the floor's`);
          log(`    ${s.name}: ${JSON.stringify(answer.facts).slice(0, 400)}`);
          log(`    driver: ${JSON.stringify(reference.facts).slice(0, 400)}`);
        }
      }
    }
  }
}

async function measureOne(server: RunningServer, q: MixQuery, s: Settings, tally: Tally) {
  const spec = q[server.name];
  if (!spec) return;
  const before = await server.stats();
  const load = await drive(server.origin, [spec.request], { seconds: s.seconds, connections: s.connections });
  // Requests still in flight when autocannon stops finish within a moment; wait so both counts include them.
  await new Promise((r) => setTimeout(r, 200));
  const after = await server.stats();
  tally.loads.push(load);
  const served = after && before ? after.requests - before.requests : 0;
  if (before && after && served > 0) tally.statements.push((after.statements - before.statements) / served);
}

function summarise(t: Tally, compared: boolean): ServerResult {
  return {
    rps: median(t.loads.map((l) => l.rps)),
    p50_ms: median(t.loads.map((l) => l.p50_ms)),
    p99_ms: median(t.loads.map((l) => l.p99_ms)),
    errors: t.loads.reduce((a, l) => a + l.errors, 0),
    statements: Math.round(median(t.statements) * 100) / 100,
    wrong: compared ? t.wrong : null,
    samples: t.samples,
    rounds: t.loads,
  };
}

const medianLoad = (loads: Load[]): Load => ({
  requests: loads.reduce((a, l) => a + l.requests, 0),
  seconds: loads.reduce((a, l) => a + l.seconds, 0),
  rps: median(loads.map((l) => l.rps)),
  p50_ms: median(loads.map((l) => l.p50_ms)),
  p99_ms: median(loads.map((l) => l.p99_ms)),
  errors: loads.reduce((a, l) => a + l.errors, 0),
});

async function sideBySide(
  graph: BenchGraph,
  size: number,
  s: Settings,
): Promise<{ queries: QueryResult[]; mix: Partial<Record<ServerName, Load>> }> {
  const servers = await startAll(graph);
  try {
    log(`  warming up: ${s.warmup} s per query per server`);
    for (const server of servers) {
      for (const q of MIX) {
        const spec = q[server.name];
        if (spec)
          await drive(server.origin, [spec.request], { seconds: s.warmup, connections: s.connections });
      }
    }
    const tallies = new Map<string, Tally>();
    for (const q of MIX) {
      for (const name of SERVERS)
        tallies.set(`${q.name}|${name}`, { loads: [], statements: [], wrong: 0, samples: 0 });
    }
    const mixLoads = new Map<ServerName, Load[]>(SERVERS.map((n) => [n, []]));
    await sample(servers, tallies, size);
    for (let round = 0; round < s.rounds; round++) {
      log(`  round ${round + 1}/${s.rounds}`);
      for (const [qi, q] of MIX.entries()) {
        for (const server of rotated(servers, round + qi)) {
          const tally = tallies.get(`${q.name}|${server.name}`);
          if (tally) await measureOne(server, q, s, tally);
        }
      }
      for (const server of rotated(servers, round)) {
        const load = await drive(server.origin, mixRequests(server.name, MIX), {
          seconds: s.seconds,
          connections: s.connections,
        });
        mixLoads.get(server.name)?.push(load);
      }
      await sample(servers, tallies, size);
    }
    const queries = MIX.map((q): QueryResult => {
      const result: Partial<Record<ServerName, ServerResult | null>> = {};
      for (const name of SERVERS) {
        const tally = tallies.get(`${q.name}|${name}`);
        result[name] =
          q[name] && tally ? summarise(tally, !(name === 'neo4j-graphql' && q.peerNotCompared)) : null;
      }
      const mg = result.marketgraph;
      const peer = result['neo4j-graphql'];
      const floor = result.driver;
      return {
        query: q.name,
        title: q.title,
        size,
        servers: result,
        ratios: {
          rps_vs_peer: mg && peer ? mg.rps / peer.rps : null,
          p99_vs_peer: mg && peer ? mg.p99_ms / peer.p99_ms : null,
          p50_vs_floor: mg && floor ? mg.p50_ms / floor.p50_ms : null,
        },
        peer: q['neo4j-graphql'] ? (q.peerNote ?? null) : `cannot answer: ${q.peerNote ?? ''}`,
      };
    });
    const mix: Partial<Record<ServerName, Load>> = {};
    for (const [name, loads] of mixLoads) if (loads.length > 0) mix[name] = medianLoad(loads);
    return { queries, mix };
  } finally {
    for (const server of servers) await server.stop();
  }
}

/**
 * Growth as the least-squares slope times the time covered: the heap saw-tooths with every collection, so the
 * difference between two single samples says more about when they fell than about a leak.
 */
function trend(samples: readonly SoakSample[], key: 'rssMb' | 'heapUsedMb'): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mt = samples.reduce((a, x) => a + x.seconds, 0) / n;
  const mv = samples.reduce((a, x) => a + x[key], 0) / n;
  let num = 0;
  let den = 0;
  for (const x of samples) {
    num += (x.seconds - mt) * (x[key] - mv);
    den += (x.seconds - mt) ** 2;
  }
  const span = (samples[n - 1]?.seconds ?? 0) - (samples[0]?.seconds ?? 0);
  return den > 0 ? (num / den) * span : 0;
}

async function soak(graph: BenchGraph, size: number, s: Settings): Promise<SoakResult> {
  const server = await startServer('marketgraph', graph.target);
  try {
    const requests = mixRequests('marketgraph', MIX);
    await drive(server.origin, requests, { seconds: Math.max(3, s.warmup * 2), connections: s.connections });
    const samples: SoakSample[] = [];
    const t0 = Date.now();
    const take = async () => {
      const st = await server.stats();
      if (st) {
        samples.push({
          seconds: Math.round((Date.now() - t0) / 100) / 10,
          rssMb: st.memory.rss / 2 ** 20,
          heapUsedMb: st.memory.heapUsed / 2 ** 20,
        });
      }
    };
    await take();
    const timer = setInterval(() => void take(), Math.max(1_000, Math.min(5_000, (s.soak * 1000) / 30)));
    const load = await drive(server.origin, requests, { seconds: s.soak, connections: s.connections });
    clearInterval(timer);
    await take();
    const secondHalf = samples.slice(Math.floor(samples.length / 2));
    return {
      size,
      seconds: s.soak,
      load,
      samples,
      rssGrowthMb: trend(samples, 'rssMb'),
      heapGrowthMb: trend(samples, 'heapUsedMb'),
      rssGrowthSecondHalfMb: trend(secondHalf, 'rssMb'),
      heapGrowthSecondHalfMb: trend(secondHalf, 'heapUsedMb'),
    };
  } finally {
    await server.stop();
  }
}

async function scaling(graph: BenchGraph, size: number, s: Settings): Promise<ScalingResult> {
  const counts = [1, 2];
  const loads = new Map<number, Load[]>(counts.map((w) => [w, []]));
  const requests = mixRequests('marketgraph', MIX);
  for (let round = 0; round < s.rounds; round++) {
    for (const workers of rotated(counts, round)) {
      const server = await startServer('marketgraph', graph.target, { count: false, workers });
      try {
        await drive(server.origin, requests, { seconds: Math.max(3, s.warmup), connections: s.connections });
        const load = await drive(server.origin, requests, { seconds: s.seconds, connections: s.connections });
        loads.get(workers)?.push(load);
        log(`  WORKERS=${workers}: ${load.rps.toFixed(0)} req/s`);
      } finally {
        await server.stop();
      }
    }
  }
  const workers = counts.map((w) => ({ workers: w, load: medianLoad(loads.get(w) ?? []) }));
  const one = workers[0]?.load.rps ?? 0;
  const two = workers[1]?.load.rps ?? 0;
  return { size, workers, speedup: one > 0 ? two / one : 0 };
}

async function main() {
  const s = parseArgs(process.argv.slice(2));
  const results: Results = {
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    // Paths relative to the project, so the results say nothing of the machine's directories.
    settings: { ...s, out: path.relative(root, s.out) || '.' },
    versions: {
      '@neo4j/graphql': version('@neo4j/graphql'),
      'graphql-yoga': version('graphql-yoga'),
      'neo4j-driver': version('neo4j-driver'),
      autocannon: version('autocannon'),
    },
    graphs: [],
    queries: [],
    growth: [],
    load: [],
    soak: null,
    scaling: null,
  };
  log(
    `sizes ${s.sizes.join(', ')}; ${s.rounds} rounds of ${s.seconds} s per query and server, ${s.connections} connections`,
  );
  const sizes = process.env.NEO4J_URI ? [s.sizes[0] ?? 10_000] : s.sizes;
  for (const [i, requested] of sizes.entries()) {
    log(`size ${requested}`);
    const graph = await openBenchGraph({
      size: requested,
      seed: s.seed,
      fresh: s.fresh,
      heap: s.heap,
      pageCache: s.pageCache,
      log,
    });
    try {
      const size = process.env.NEO4J_URI ? graph.entities : requested;
      results.graphs.push({ size, entities: graph.entities, note: graph.note });
      if (graph.load) results.load.push(graph.load);
      const { queries, mix } = await sideBySide(graph, size, s);
      results.queries.push(...queries);
      results.growth.push({ size, servers: mix, relative: {} });
      if (i === 0 && s.scaling) {
        log('  scaling run: WORKERS=1 and WORKERS=2');
        results.scaling = await scaling(graph, size, s);
      }
      if (i === sizes.length - 1 && s.soak > 0) {
        log(`  soak: ${s.soak} s of the mix on marketgraph`);
        results.soak = await soak(graph, size, s);
      }
    } finally {
      await graph.close();
    }
  }
  const smallest = results.growth[0];
  for (const g of results.growth) {
    for (const name of SERVERS) {
      const base = smallest?.servers[name];
      const here = g.servers[name];
      if (base && here) {
        g.relative[name] = {
          p50: here.p50_ms / base.p50_ms,
          p99: here.p99_ms / base.p99_ms,
          rps: here.rps / base.rps,
        };
      }
    }
  }
  mkdirSync(s.out, { recursive: true });
  writeFileSync(path.join(s.out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const charts = renderCharts(results);
  for (const [file, svg] of Object.entries(charts)) writeFileSync(path.join(s.out, file), svg);
  writeFileSync(path.join(s.out, 'latest.md'), renderMarkdown(results));
  // The results are committed: formatted by the project's formatter, `npm run lint` stays clean.
  spawnSync(path.join(root, 'node_modules/.bin/biome'), ['format', '--write', s.out], { stdio: 'ignore' });
  log(`wrote ${path.relative(root, s.out)}/latest.json, latest.md, ${Object.keys(charts).join(', ')}`);
}

await main();
