import { describe, expect, it } from 'vitest';
import { createDriver, Db } from '../src/neo4j/driver.js';
import { classifyDbError } from '../src/neo4j/errors.js';

const BREAKER = /not trying again yet/;

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

describe('a Db whose Neo4j is unreachable', () => {
  // Nothing listens on this loopback port: every connection attempt is refused at once.
  const driver = createDriver({
    uri: 'bolt://127.0.0.1:9',
    user: 'neo4j',
    password: 'unused',
    database: 'neo4j',
    txTimeoutMs: 1_000,
    connectTimeoutMs: 500,
  });
  const db = new Db(driver, 'neo4j', 1_000, 300, 0, 0);
  const query = () => db.read((tx) => tx.run('RETURN 1'));

  it('fails fast after the first failure, then lets one request try again after the cool-down', async () => {
    const first = await failure(query());
    expect(classifyDbError(first)).toBe('SERVICE_UNAVAILABLE');
    expect(first.message).not.toMatch(BREAKER);

    const second = await failure(query());
    expect(classifyDbError(second)).toBe('SERVICE_UNAVAILABLE');
    expect(second.message).toMatch(BREAKER);

    await new Promise((r) => setTimeout(r, 350));
    const [trial, other] = await Promise.all([failure(query()), failure(query())]);
    expect(trial.message).not.toMatch(BREAKER);
    expect(other.message).toMatch(BREAKER);
  });

  it('gives up on an unreachable Neo4j within the connect timeout, however long transient errors are retried', async () => {
    // Transient errors may be retried for 10 s; an unreachable server only for the connect timeout (500 ms).
    const patient = new Db(driver, 'neo4j', 1_000, 300, 10_000, 500);
    const t0 = performance.now();
    const err = await failure(patient.readOne((tx) => tx.run('RETURN 1')));
    const ms = performance.now() - t0;
    expect(classifyDbError(err)).toBe('SERVICE_UNAVAILABLE');
    // Retried with backoff (100, 200 ms ...) until the 500 ms are spent: well under the 10 s.
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(2_000);
    await driver.close();
  });
});
