import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { loadFacts } from '../src/facts/load.js';
import { createDriver, Db } from '../src/neo4j/driver.js';
import { classifyDbError } from '../src/neo4j/errors.js';
import { type LocalNeo4j, startLocalNeo4j } from '../src/neo4j/local.js';
import { migrate } from '../src/neo4j/migrate.js';
import { type Running, start } from '../src/server.js';
import { graphSnapshot } from './support/db.js';
import { articleFacts, writeFactsFile } from './support/facts.js';
import { articleFactsPath } from './support/paths.js';

/*
 * Neo4j stopped in the middle of a load run and started again. This file runs its own throwaway Neo4j
 * (not the shared one from the global setup): stopping that one would break every other test file.
 */

const HEADLINE = '{ distributors(brand: "Xiaomi", market: "Korea") { name } }';
const WITH_EVIDENCE =
  '{ distributors(brand: "Xiaomi", market: "Korea") { name distributes(brand: "Xiaomi", market: "Korea") { totalCount edges { node { name } market { name } status evidence { quote start end status } } } } }';
const HEADLINE_ANSWER = {
  data: { distributors: [{ name: 'Koma Trade' }, { name: 'Nanjing Youmi Electronics Technology' }] },
};
/** NEO4J_CONNECT_TIMEOUT_MS's default: how long an unreachable Neo4j is tried before a request fails. */
const CONNECT_TIMEOUT_MS = 3_000;
/** Longer than any request may take while Neo4j is down. */
const REQUEST_TIMEOUT_MS = 15_000;

const password = randomBytes(18).toString('base64url');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'marketgraph-outage-'));
const heap = { heap: '384m', pageCache: '32m' };
let local: LocalNeo4j | undefined;
let db: Db | undefined;
let server: Running | undefined;

interface Outcome {
  query: 'headline' | 'evidence';
  t0: number;
  t1: number;
  status: number;
  /** 'correct', 'wrong', an extensions.code, 'aborted' or 'network'. */
  result: string;
}

interface Probe {
  status: number;
  ms: number;
}

async function post(url: string, query: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: res.status, body: await res.json() };
}

async function probe(url: string): Promise<Probe> {
  const t0 = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

/**
 * A fixed number of workers sending the two queries back to back until stop() (or a hard deadline and
 * request cap, so it ends by itself whatever happens to the test). Every answer is kept with its timing.
 */
function loadLoop(url: string, expected: Record<Outcome['query'], string>) {
  const outcomes: Outcome[] = [];
  const deadline = performance.now() + 180_000;
  let running = true;
  const worker = async (query: Outcome['query']) => {
    const text = query === 'headline' ? HEADLINE : WITH_EVIDENCE;
    while (running && performance.now() < deadline && outcomes.length < 50_000) {
      const t0 = performance.now();
      let status = 0;
      let result: string;
      try {
        const res = await post(url, text);
        status = res.status;
        const code = res.body.errors?.[0]?.extensions?.code;
        result = code ? String(code) : JSON.stringify(res.body) === expected[query] ? 'correct' : 'wrong';
      } catch (err) {
        result = (err as Error).name === 'TimeoutError' ? 'aborted' : 'network';
      }
      outcomes.push({ query, t0, t1: performance.now(), status, result });
      await sleep(10);
    }
  };
  const workers = Promise.all([...Array.from({ length: 4 }, () => worker('headline')), worker('evidence')]);
  return {
    outcomes,
    async stop() {
      running = false;
      await workers;
    },
  };
}

function summary(name: string, outcomes: Outcome[]) {
  const results: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  for (const o of outcomes) {
    results[o.result] = (results[o.result] ?? 0) + 1;
    statuses[o.status] = (statuses[o.status] ?? 0) + 1;
  }
  const longest = Math.max(0, ...outcomes.map((o) => o.t1 - o.t0));
  return {
    phase: name,
    requests: outcomes.length,
    results: JSON.stringify(results),
    http: JSON.stringify(statuses),
    'longest ms': Math.round(longest),
  };
}

beforeAll(async () => {
  local = await startLocalNeo4j({ dataDir, port: 0, password, ...heap });
  // The test's own connection, beside the service's: it loads, snapshots and attempts the load in the outage.
  db = new Db(createDriver({ ...local, database: 'neo4j', txTimeoutMs: 30_000 }), 'neo4j', 30_000);
  await migrate(db.driver, 'neo4j');
  await loadFacts(db, articleFactsPath);
  server = await start(
    parseConfig({
      NEO4J_URI: local.uri,
      NEO4J_PASSWORD: password,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      LOAD_FACTS: 'never',
      NEO4J_TX_TIMEOUT_MS: '5000',
    }),
    () => {},
  );
});

afterAll(async () => {
  // Each step on its own, so a failure in one still runs the others.
  const steps = [() => server?.close(), () => db?.close(), () => local?.stop()];
  for (const step of steps) await Promise.resolve(step()).catch((err) => console.error(err));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Neo4j stopped in the middle of a load run and started again', () => {
  it('answers SERVICE_UNAVAILABLE without hanging while it is down, and recovers by itself', async () => {
    if (!server || !local || !db) throw new Error('setup failed');
    const url = server.url;
    const origin = new URL(url).origin;

    const headline = await post(url, HEADLINE);
    expect(headline.body).toEqual(HEADLINE_ANSWER);
    const evidence = await post(url, WITH_EVIDENCE);
    expect(evidence.body.data.distributors.map((d: any) => d.distributes.totalCount)).toEqual([3, 3]);
    const expected = { headline: JSON.stringify(headline.body), evidence: JSON.stringify(evidence.body) };
    const snapshot = await graphSnapshot(db);

    const load = loadLoop(url, expected);
    await sleep(2_000);

    const tStop = performance.now();
    await local.stop();
    const tStopped = performance.now();

    // While it is down: the service itself is alive, not ready, and a load fails as a whole.
    const facts = articleFacts();
    facts.entities.push({ id: 'company:outage-only', kind: 'Company', name: 'Outage Only', aliases: [] });
    const loadAttempt = loadFacts(db, writeFactsFile(facts)).then(
      () => 'committed',
      (err: unknown) => classifyDbError(err) ?? String(err),
    );
    const [health, ready, loaded] = await Promise.all([
      probe(`${origin}/health`),
      probe(`${origin}/ready`),
      loadAttempt,
    ]);
    // Some requests entirely inside the outage before Neo4j starts again.
    const enough = () => load.outcomes.filter((o) => o.t0 > tStopped).length >= 10;
    while (!enough() && performance.now() < tStopped + 30_000) await sleep(100);

    const tRestart = performance.now();
    const port = Number(new URL(local.uri).port);
    // Bounded below the test's timeout, so a failed start kills its JVM rather than leaving it behind.
    local = await startLocalNeo4j({ dataDir, port, password, ...heap, startTimeoutMs: 60_000 });
    const tBoltReady = performance.now();

    const recoveryDeadline = tBoltReady + 30_000;
    let firstCorrect: Outcome | undefined;
    while (!firstCorrect && performance.now() < recoveryDeadline) {
      await sleep(20);
      firstCorrect = load.outcomes.find((o) => o.t1 > tBoltReady && o.result === 'correct');
    }
    const readyAfter = await probe(`${origin}/ready`);
    await sleep(2_000);
    await load.stop();

    const all = load.outcomes;
    const before = all.filter((o) => o.t1 < tStop);
    const stopping = all.filter((o) => o.t1 >= tStop && o.t0 < tStopped);
    const down = all.filter((o) => o.t0 >= tStopped && o.t1 <= tRestart);
    const recovering = all.filter((o) => o.t1 > tBoltReady && o.t0 <= (firstCorrect?.t1 ?? Infinity));
    const after = all.filter((o) => firstCorrect && o.t0 > firstCorrect.t1);
    const recoveryMs = firstCorrect ? firstCorrect.t1 - tBoltReady : Number.NaN;

    console.log(
      [
        'Outage run (4 workers on the headline query, 1 with evidence):',
        `  Neo4j stop took ${Math.round(tStopped - tStop)} ms; restart to BOLT_READY ${Math.round(tBoltReady - tRestart)} ms`,
        `  during the outage: /health ${health.status} in ${Math.round(health.ms)} ms, /ready ${ready.status} in ${Math.round(ready.ms)} ms, facts load: ${loaded}`,
        `  recovery, BOLT_READY to first correct answer: ${Math.round(recoveryMs)} ms; /ready then ${readyAfter.status}`,
      ].join('\n'),
    );
    console.table([
      summary('before', before),
      summary('while stopping', stopping),
      summary('down', down),
      summary('recovering', recovering),
      summary('after', after),
    ]);

    // No hang: every request answered before the client gave up, and none failed at the HTTP level.
    expect(all.filter((o) => o.result === 'aborted' || o.result === 'network')).toEqual([]);
    expect(Math.max(...all.map((o) => o.t1 - o.t0))).toBeLessThan(REQUEST_TIMEOUT_MS);

    expect(before.length).toBeGreaterThan(0);
    expect(before.every((o) => o.result === 'correct')).toBe(true);
    // In flight while Neo4j shut down: either it finished in time or it is reported as unavailable.
    expect(stopping.filter((o) => !['correct', 'SERVICE_UNAVAILABLE'].includes(o.result))).toEqual([]);
    expect(down.length).toBeGreaterThanOrEqual(10);
    expect(down.filter((o) => o.result !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    // Refused within the connect timeout's budget (3 s), not after retries stacked on top of it (which took
    // up to 9 s): the bound leaves room for a busy machine; tests/breaker.test.ts holds the budget exactly.
    const refusedAfterStop = all.filter((o) => o.t0 >= tStop && o.result === 'SERVICE_UNAVAILABLE');
    expect(Math.max(...refusedAfterStop.map((o) => o.t1 - o.t0))).toBeLessThan(2 * CONNECT_TIMEOUT_MS);
    expect(health.status).toBe(200);
    expect(ready.status).toBe(503);
    expect(loaded).toBe('SERVICE_UNAVAILABLE');

    expect(firstCorrect).toBeDefined();
    expect(recovering.filter((o) => !['correct', 'SERVICE_UNAVAILABLE'].includes(o.result))).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((o) => o.result === 'correct')).toBe(true);
    expect(readyAfter.status).toBe(200);
    expect(await graphSnapshot(db)).toEqual(snapshot);
  }, 120_000);

  it('finishes a request in flight when closed, then refuses connections', async () => {
    if (!server) throw new Error('setup failed');
    const url = new URL(server.url);
    const body = JSON.stringify({
      query:
        '{ companies(first: 6) { totalCount edges { node { name competesWith { edges { node { name } status } } } } } }',
    });
    let closing: Promise<void> | undefined;
    let tClose = 0;
    // Half the body first, so the request is provably in the server's hands when close() is called.
    const response = new Promise<{ status: number; connection?: string; text: string }>((resolve, reject) => {
      const req = http.request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.write(body.slice(0, 20));
      setTimeout(() => {
        tClose = performance.now();
        closing = server?.close();
        setTimeout(() => req.end(body.slice(20)), 100);
      }, 200);
    });

    const answer = await response;
    const tAnswer = performance.now();
    await closing;
    const tClosed = performance.now();
    console.log(
      `Graceful shutdown: the request in flight was answered ${Math.round(tAnswer - tClose)} ms after close(), ` +
        `which was done ${Math.round(tClosed - tClose)} ms after it was called`,
    );
    expect(answer.status).toBe(200);
    // Told not to keep the connection, so the client does not hold the shutdown up until the grace period.
    expect(answer.connection).toBe('close');
    const json = JSON.parse(answer.text);
    expect(json.errors).toBeUndefined();
    expect(json.data.companies.totalCount).toBeGreaterThan(0);
    await expect(fetch(server.url, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
  });
});
