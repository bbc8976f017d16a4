import cluster from 'node:cluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startWorkers } from '../src/server.js';
import { testServerConfig } from './support/db.js';

describe('WORKERS', () => {
  let running: Running;

  beforeAll(async () => {
    running = await startWorkers(testServerConfig({ WORKERS: '2' }), () => {});
  });

  afterAll(async () => {
    await running?.close();
  });

  it('serves the same answers from every worker on one port', async () => {
    expect(Object.keys(cluster.workers ?? {})).toHaveLength(2);
    const answers = await Promise.all(
      Array.from({ length: 16 }, async () => {
        const res = await fetch(running.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ distributors(brand: "Xiaomi", market: "Korea") { name } }' }),
        });
        return res.json();
      }),
    );
    for (const a of answers) {
      expect(a).toEqual({
        data: { distributors: [{ name: 'Koma Trade' }, { name: 'Nanjing Youmi Electronics Technology' }] },
      });
    }
  });

  it('replaces a worker that dies, and stops them all on close', async () => {
    const [first] = Object.values(cluster.workers ?? {});
    const replaced = new Promise<void>((resolve) => cluster.once('online', () => resolve()));
    first?.process.kill('SIGKILL');
    await replaced;
    await new Promise((resolve) => cluster.once('listening', resolve));
    const res = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ entity(name: "han quoc") { name } }' }),
    });
    expect(await res.json()).toEqual({ data: { entity: { name: 'South Korea' } } });
    await running.close();
    expect(Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead())).toHaveLength(0);
  });
});
