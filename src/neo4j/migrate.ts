import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { projectRoot } from '../paths.js';
import type { Runner } from './driver.js';

const constraintsFile = path.join(projectRoot, 'schema', 'constraints.cypher');

export function constraintStatements(): string[] {
  return readFileSync(constraintsFile, 'utf8')
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Applies schema/constraints.cypher (idempotent) and waits until every index is online. */
export async function migrate(driver: Driver, database: string): Promise<void> {
  // Schema commands cannot share a transaction with other writes: one auto-commit query each.
  const session = driver.session({ database });
  try {
    for (const statement of constraintStatements()) await session.run(statement);
    await session.run('CALL db.awaitIndexes(300)');
  } finally {
    await session.close();
  }
}

/** The names of the constraints and indexes schema/constraints.cypher creates. */
export function expectedSchemaNames(): string[] {
  return constraintStatements()
    .map((s) => /\b(?:CONSTRAINT|INDEX)\s+(\w+)\s+IF NOT EXISTS/i.exec(s)?.[1])
    .filter((n): n is string => n !== undefined);
}

/** Which expected constraints and indexes are missing or not online (empty: the schema is ready). */
export async function missingSchema(tx: Runner): Promise<string[]> {
  const r = await tx.run(
    "SHOW INDEXES YIELD name, state WHERE state = 'ONLINE' RETURN collect(name) AS online",
  );
  const online = new Set<string>(r.records[0]?.get('online') ?? []);
  const c = await tx.run('SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names');
  for (const n of (c.records[0]?.get('names') ?? []) as string[]) online.add(n);
  return expectedSchemaNames().filter((n) => !online.has(n));
}
