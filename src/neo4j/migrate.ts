import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Driver } from 'neo4j-driver';

const constraintsFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../schema/constraints.cypher',
);

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
