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

/**
 * Applies schema/constraints.cypher (idempotent) and waits until every index is online. Tests give other
 * statements of the same forms.
 */
export async function migrate(
  driver: Driver,
  database: string,
  statements: readonly string[] = constraintStatements(),
): Promise<void> {
  // Schema commands cannot share a transaction with other writes: one auto-commit query each.
  const session = driver.session({ database });
  try {
    // `IF NOT EXISTS` keeps an index of the same name as it is: one built by an older definition is dropped
    // first, so the statement below creates it anew (Neo4j populates it from the data already there).
    for (const name of await staleIndexes(session, statements)) {
      await session.run(`DROP INDEX ${name} IF EXISTS`);
    }
    for (const statement of statements) await session.run(statement);
    await session.run('CALL db.awaitIndexes(300)');
  } finally {
    await session.close();
  }
}

/** What an index statement of schema/constraints.cypher asks for, as SHOW INDEXES describes it. */
export interface IndexDefinition {
  name: string;
  type: 'RANGE' | 'TEXT' | 'FULLTEXT';
  entityType: 'NODE' | 'RELATIONSHIP';
  labelsOrTypes: string[];
  properties: string[];
  /** The indexConfig options the statement sets (others keep Neo4j's defaults and are not compared). */
  config: Record<string, string | boolean>;
}

const INDEX_STATEMENT =
  /^CREATE\s+(?:(RANGE|TEXT|FULLTEXT)\s+)?INDEX\s+(\w+)\s+IF\s+NOT\s+EXISTS\s+FOR\s+(?:\(\s*\w+\s*:\s*([\w|]+)\s*\)|\(\s*\)\s*-\s*\[\s*\w+\s*:\s*([\w|]+)\s*\]\s*-\s*\(\s*\))\s+ON\s+(?:EACH\s+\[([^\]]*)\]|\(([^)]*)\))([\s\S]*)$/i;

/** The index a statement of schema/constraints.cypher creates; null for a constraint. */
export function indexDefinition(statement: string): IndexDefinition | null {
  const m = INDEX_STATEMENT.exec(statement.trim());
  if (!m) return null;
  const [, type, name, labels, types, each, single, options] = m;
  const config: Record<string, string | boolean> = {};
  for (const c of (options ?? '').matchAll(/`([\w.]+)`\s*:\s*(?:'([^']*)'|(true|false))/g)) {
    if (c[1]) config[c[1]] = c[2] ?? c[3] === 'true';
  }
  return {
    name: name ?? '',
    type: (type?.toUpperCase() ?? 'RANGE') as IndexDefinition['type'],
    entityType: labels ? 'NODE' : 'RELATIONSHIP',
    labelsOrTypes: (labels ?? types ?? '').split('|'),
    properties: (each ?? single ?? '').split(',').map((p) => p.trim().replace(/^\w+\./, '')),
    config,
  };
}

const sameList = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The indexes of the statements (the file's) that exist in the database with another definition. */
export async function staleIndexes(
  tx: Runner,
  statements: readonly string[] = constraintStatements(),
): Promise<string[]> {
  const expected = new Map(
    statements
      .map(indexDefinition)
      .filter((d): d is IndexDefinition => d !== null)
      .map((d) => [d.name, d]),
  );
  const r = await tx.run(
    `SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, options, owningConstraint
     WHERE owningConstraint IS NULL AND name IN $names
     RETURN name, type, entityType, labelsOrTypes, properties, options.indexConfig AS config`,
    { names: [...expected.keys()] },
  );
  return r.records
    .filter((rec) => {
      const want = expected.get(rec.get('name') as string);
      if (!want) return false;
      const config = (rec.get('config') ?? {}) as Record<string, unknown>;
      return !(
        rec.get('type') === want.type &&
        rec.get('entityType') === want.entityType &&
        sameList(rec.get('labelsOrTypes') as unknown[], want.labelsOrTypes) &&
        sameList(rec.get('properties') as unknown[], want.properties) &&
        Object.entries(want.config).every(([k, v]) => config[k] === v)
      );
    })
    .map((rec) => rec.get('name') as string);
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
  // An index built by an older definition is not the one the queries expect: not ready until migrated.
  for (const n of await staleIndexes(tx)) online.delete(n);
  const c = await tx.run('SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names');
  for (const n of (c.records[0]?.get('names') ?? []) as string[]) online.add(n);
  return expectedSchemaNames().filter((n) => !online.has(n));
}
