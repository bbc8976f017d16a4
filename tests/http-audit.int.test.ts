import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, start } from '../src/server.js';
import { testServerConfig } from './support/db.js';

/**
 * The GraphQL-over-HTTP conformance audits of graphql-http, against the real server on a port. Every MUST
 * and SHOULD passes; the MAY ones are run and reported, not required.
 */
let running: Running;
const audits = serverAudits({ url: () => running.url });
const required = audits.filter((a) => !a.name.startsWith('MAY'));
const optional = audits.filter((a) => a.name.startsWith('MAY'));

beforeAll(async () => {
  running = await start(testServerConfig(), () => {});
});
afterAll(() => running?.close());

describe('GraphQL over HTTP (graphql-http audits)', () => {
  it('has audits of every level', () => {
    expect(required.filter((a) => a.name.startsWith('MUST')).length).toBeGreaterThanOrEqual(10);
    expect(required.filter((a) => a.name.startsWith('SHOULD')).length).toBeGreaterThanOrEqual(10);
    expect(optional.length).toBeGreaterThan(0);
  });

  it.each(required.map((a) => [a.id, a.name, a] as const))('%s %s', async (_id, _name, audit) => {
    const result = await audit.fn();
    expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
  });

  it('runs the MAY audits (informative)', async () => {
    const results = [];
    for (const audit of optional) results.push(await audit.fn());
    const notOk = results.filter((r) => r.status !== 'ok').map((r) => `${r.id} ${r.name}: ${r.status}`);
    console.log(`MAY audits: ${results.length - notOk.length} of ${results.length} ok`, notOk);
    expect(results).toHaveLength(optional.length);
  });
});
