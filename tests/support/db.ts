import { inject } from 'vitest';
import { createDriver, Db } from '../../src/neo4j/driver.js';

/** A Db on the run's Neo4j (see globalSetup.ts). Close it in afterAll. */
export function testDb(): Db {
  const c = inject('neo4j');
  return new Db(createDriver({ ...c, txTimeoutMs: 30_000 }), c.database, 30_000);
}
