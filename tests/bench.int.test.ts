import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ask, drive, mixRequests } from '../bench/measure.js';
import { MIX, SERVERS } from '../bench/mix.js';
import { type RunningServer, startServer } from '../bench/servers.js';

/**
 * A smoke run of the side-by-side benchmark (bench/run.ts) on the seed article: the three servers start, each
 * answers every query of the mix, the answers agree with the driver floor's, and one short autocannon round
 * of the mix counts requests and statements without errors. Keeps the benchmark from rotting.
 */
describe('side-by-side benchmark', () => {
  const servers: RunningServer[] = [];

  // The servers answer from the article the global setup loaded.
  beforeAll(async () => {
    const c = inject('neo4j');
    const target = { uri: c.uri, user: c.user, password: c.password, database: c.database };
    const started = await Promise.allSettled(SERVERS.map((name) => startServer(name, target)));
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  const server = (name: (typeof SERVERS)[number]) => {
    const s = servers.find((x) => x.name === name);
    if (!s) throw new Error(`${name} is not running`);
    return s;
  };

  it.each(MIX.map((q) => [q.name, q] as const))(
    '%s: every server answers, with the floor’s facts',
    async (_, q) => {
      const floor = await ask(server('driver'), q);
      expect(floor.ok, JSON.stringify(floor.facts)).toBe(true);
      const mg = await ask(server('marketgraph'), q);
      expect(mg.ok, JSON.stringify(mg.facts)).toBe(true);
      expect(mg.facts).toEqual(floor.facts);
      const peer = await ask(server('neo4j-graphql'), q);
      expect(peer.ok, JSON.stringify(peer.facts)).toBe(true);
      if (q.peerNotCompared) {
        // Its own ranking over the same index: the same kind of answer, not the same order.
        expect(Array.isArray(peer.facts) && peer.facts.length > 0).toBe(true);
      } else {
        expect(peer.facts).toEqual(floor.facts);
      }
    },
  );

  it('drives each server through one short round of the mix and counts its statements', async () => {
    for (const s of servers) {
      const before = await s.stats();
      const load = await drive(s.origin, mixRequests(s.name, MIX), { seconds: 1, connections: 2 });
      await new Promise((r) => setTimeout(r, 200));
      const after = await s.stats();
      expect(load.requests, s.name).toBeGreaterThan(0);
      expect(load.errors, s.name).toBe(0);
      if (!before || !after) throw new Error(`${s.name} has no statement counter`);
      const served = after.requests - before.requests;
      expect(served, s.name).toBeGreaterThanOrEqual(load.requests);
      // Every question of the mix needs Neo4j at least once.
      expect(after.statements - before.statements, s.name).toBeGreaterThanOrEqual(served);
      expect(after.memory.rss).toBeGreaterThan(0);
    }
  });
});
