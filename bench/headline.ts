/**
 * Latency and throughput of the headline questions over HTTP on loopback, against the real Neo4j.
 * Usage: npm run bench:headline [-- requests concurrency]   (defaults: 2000 requests, 8 at a time, per query)
 * (npm run bench is the side-by-side benchmark, bench/run.ts.)
 * Uses NEO4J_URI when set, otherwise the local Neo4j under NEO4J_DATA_DIR (seeded if empty).
 */
import { parseConfig } from '../src/config.js';
import { start } from '../src/server.js';

const requests = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 8);

const queries: Record<string, string> = {
  'distributors (names only)': '{ distributors(brand: "Xiaomi", market: "Hàn Quốc") { name } }',
  'distributors + products + evidence':
    '{ distributors(brand: "Xiaomi", market: "Korea") { name distributes(brand: "Xiaomi", market: "Korea") { totalCount edges { node { name } market { name } status evidence { quote start end status } } } } }',
  'entity(name) by alias': '{ entity(name: "han quoc") { name aliases } }',
  'companies page + competitors':
    '{ companies(first: 6) { totalCount edges { node { name competesWith { edges { node { name } status } } } } } }',
};

const config = parseConfig({ LOG_LEVEL: 'warn', ...process.env, PORT: '0', HOST: '127.0.0.1' });
const server = await start(config, () => {});

async function run(query: string) {
  const body = JSON.stringify({ query });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next += 1;
      const t0 = performance.now();
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const json = (await res.json()) as { errors?: unknown };
      latencies.push(performance.now() - t0);
      if (!res.ok || json.errors) errors += 1;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    (latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0).toFixed(1);
  return { rps: (latencies.length / seconds).toFixed(0), p50: pct(50), p95: pct(95), p99: pct(99), errors };
}

try {
  for (const q of Object.values(queries)) await run(q).catch(() => undefined); // warm-up: plans and JIT
  console.log(`${requests} requests per query, ${concurrency} concurrent, over HTTP on loopback\n`);
  console.log('| query | req/s | p50 ms | p95 ms | p99 ms | errors |\n| --- | --- | --- | --- | --- | --- |');
  for (const [name, q] of Object.entries(queries)) {
    const r = await run(q);
    console.log(`| ${name} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} |`);
  }
} finally {
  await server.close();
}
