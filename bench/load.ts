/**
 * A load run at fixed concurrency over a weighted mix of realistic queries, over HTTP on loopback, against the
 * real Neo4j. Prints requests, errors, throughput and latency percentiles, overall and per query, as Markdown.
 * Usage: npm run bench:load [-- seconds concurrency maxRequests]   (defaults: 120 s, 8 workers, 1,000,000)
 * Uses NEO4J_URI when set, otherwise the local Neo4j under NEO4J_DATA_DIR (seeded if empty).
 *
 * An error is any answer that is not HTTP 200, has `errors` in its body, or does not arrive within 30 s.
 * A "changed" answer differs from the one the same query gave during the warm-up: the data does not change
 * during a run, so it would mean an answer went wrong under load.
 */
import { parse, validate } from 'graphql';
import { parseConfig } from '../src/config.js';
import { schema } from '../src/schema/index.js';
import { start } from '../src/server.js';

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, not "${value}"`);
  return n;
}

const seconds = positiveInt(process.argv[2], 120, 'seconds');
const concurrency = positiveInt(process.argv[3], 8, 'concurrency');
const maxRequests = positiveInt(process.argv[4], 1_000_000, 'maxRequests');
const REQUEST_TIMEOUT_MS = 30_000;
const WARMUP_PER_QUERY = 20;

interface Query {
  name: string;
  weight: number;
  query: string;
}

/** Roughly what a front-end asks: mostly the headline questions and name lookups, some lists and exploring. */
const MIX: Query[] = [
  { name: 'headline', weight: 25, query: '{ distributors(brand: "Xiaomi", market: "Hàn Quốc") { name } }' },
  {
    name: 'headline + evidence',
    weight: 15,
    query:
      '{ distributors(brand: "xiaomi", market: "Korea") { name distributes(brand: "Xiaomi", market: "Korea") { totalCount edges { node { name nameVi } market { name } status evidence { quote start end status } } } } }',
  },
  {
    name: 'entity by alias',
    weight: 15,
    query: '{ entity(name: "han quoc") { __typename name nameVi aliases } }',
  },
  {
    name: 'companies page + where',
    weight: 10,
    query:
      '{ companies(first: 5, where: { distributes_SOME: { brand: "Xiaomi", market: "Korea", status: [STATED, REPORTED] } }) { totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }',
  },
  {
    name: 'relationship page',
    weight: 10,
    query:
      '{ entity(name: "Xiaomi") { ... on Company { competesWith(first: 2, status: [STATED, REPORTED, CONFIRMED]) { totalCount edges { cursor node { name } status evidence { quote status } } pageInfo { hasNextPage endCursor } } offices { edges { node { name } status } } } } }',
  },
  {
    name: 'stats',
    weight: 5,
    query:
      '{ stats { entities { kind count } relationships(status: [CONFIRMED, STATED]) { type status count } productsPerDistributor(market: "Korea") { company { name } products } } }',
  },
  {
    name: 'search',
    weight: 10,
    query: '{ search(text: "may loc khong khi", first: 5) { score matched entity { __typename name } } }',
  },
  {
    name: 'neighborhood',
    weight: 6,
    query:
      '{ neighborhood(name: "Seul", depth: 2) { truncated nodes { id __typename name } edges { type from to status evidence { quote } } } }',
  },
  {
    name: 'path',
    weight: 4,
    query:
      '{ path(from: "Koma Trade", to: "Samsung", relationshipTypes: ["DISTRIBUTES", "MANUFACTURES", "COMPETES_WITH"]) { length hops { from { name } direction edge { type status evidence { quote } } to { name } } } }',
  },
];

// Fields other work adds (search, neighborhood, path) join the mix once the schema has them.
const available = MIX.filter((q) => validate(schema, parse(q.query)).length === 0);
const skipped = MIX.filter((q) => !available.includes(q));

/** The order queries are sent in: each query as often as its weight, spread evenly and the same every run. */
function schedule(queries: Query[]): Query[] {
  const slots: { q: Query; at: number }[] = [];
  for (const q of queries) for (let i = 0; i < q.weight; i++) slots.push({ q, at: (i + 0.5) / q.weight });
  return slots.sort((a, b) => a.at - b.at).map((s) => s.q);
}

interface Tally {
  latencies: number[];
  errors: number;
  changed: number;
}

const config = parseConfig({ LOG_LEVEL: 'warn', ...process.env, PORT: '0', HOST: '127.0.0.1' });
let neo4j = '';
const server = await start(config, (line) => {
  neo4j = /\(Neo4j at (.*)\)$/.exec(line)?.[1] ?? neo4j;
});

const reference = new Map<string, string>();
const errorSamples = new Map<string, number>();

/** One request; returns its latency and what went wrong, if anything. */
async function send(q: Query): Promise<{ ms: number; error?: string; body?: string }> {
  const t0 = performance.now();
  try {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: q.query }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) return { ms, error: `HTTP ${res.status}` };
    const json = JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] };
    const first = json.errors?.[0];
    if (first) return { ms, error: `${first.extensions?.code ?? 'no code'}: ${first.message}` };
    return { ms, body: text };
  } catch (err) {
    return { ms: performance.now() - t0, error: (err as Error).name };
  }
}

function record(sample: string) {
  errorSamples.set(sample, (errorSamples.get(sample) ?? 0) + 1);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function row(name: string, weight: string, t: Tally, elapsedS: number): string {
  const s = [...t.latencies].sort((a, b) => a - b);
  const f = (v: number) => (Number.isNaN(v) ? '–' : v.toFixed(1));
  return `| ${name} | ${weight} | ${s.length} | ${t.errors} | ${t.changed} | ${(s.length / elapsedS).toFixed(0)} | ${f(percentile(s, 50))} | ${f(percentile(s, 95))} | ${f(percentile(s, 99))} | ${f(s.at(-1) ?? Number.NaN)} |`;
}

try {
  // Warm-up: query plans, JIT and the page cache; the answers become the reference for the run.
  for (const q of available) {
    for (let i = 0; i < WARMUP_PER_QUERY; i++) {
      const r = await send(q);
      if (r.error) record(`warm-up ${q.name}: ${r.error}`);
      else if (!reference.has(q.name) && r.body) reference.set(q.name, r.body);
    }
  }

  const order = schedule(available);
  const tallies = new Map<string, Tally>(
    available.map((q) => [q.name, { latencies: [], errors: 0, changed: 0 }]),
  );
  let next = 0;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline && next < maxRequests) {
      const q = order[next % order.length] as Query;
      next += 1;
      const r = await send(q);
      const t = tallies.get(q.name) as Tally;
      t.latencies.push(r.ms);
      if (r.error) {
        t.errors += 1;
        record(`${q.name}: ${r.error}`);
      } else if (r.body !== reference.get(q.name)) {
        t.changed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (performance.now() - t0) / 1000;

  const all: Tally = { latencies: [], errors: 0, changed: 0 };
  for (const t of tallies.values()) {
    all.latencies.push(...t.latencies);
    all.errors += t.errors;
    all.changed += t.changed;
  }
  console.log(
    `Load run: ${elapsedS.toFixed(0)} s at ${concurrency} concurrent requests, over HTTP on loopback ` +
      `(Neo4j ${neo4j || 'as configured'}; Node ${process.version}).`,
  );
  console.log(
    `${all.latencies.length} requests, ${all.errors} errors, ${all.changed} changed answers, ` +
      `${(all.latencies.length / elapsedS).toFixed(0)} requests/s.\n`,
  );
  console.log('| query | weight | requests | errors | changed | req/s | p50 ms | p95 ms | p99 ms | max ms |');
  console.log('| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |');
  console.log(row('**all**', String(available.reduce((s, q) => s + q.weight, 0)), all, elapsedS));
  for (const q of available)
    console.log(row(q.name, String(q.weight), tallies.get(q.name) as Tally, elapsedS));
  if (skipped.length > 0) {
    console.log(`\nNot in the schema, left out: ${skipped.map((q) => q.name).join(', ')}.`);
  }
  if (errorSamples.size > 0) {
    console.log('\nErrors:');
    for (const [sample, n] of errorSamples) console.log(`- ${n} × ${sample}`);
  }
  process.exitCode = all.errors > 0 || all.changed > 0 || errorSamples.size > 0 ? 1 : 0;
} finally {
  await server.close();
}
