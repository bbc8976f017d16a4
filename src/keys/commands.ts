import { parseArgs } from 'node:util';
import { type ApiKeyRecord, createApiKey, listApiKeys, revokeApiKey } from '../graph/keys.js';
import type { Db } from '../neo4j/driver.js';
import { generateKey, isScope, SCOPES } from './key.js';

export const USAGE = `Usage:
  npm run key -- create --scope read|write|admin [--name "..."]   prints the new key as its last line
  npm run key -- list                                              every key: id, name, scope, created, revoked
  npm run key -- revoke <id>                                       the key stops working at once`;

/** A command line that means nothing: its message says why, then the usage. */
export class UsageError extends Error {}

export interface Output {
  out: (line: string) => void;
}

/** `npm run key -- <command>`: what it prints goes to `out`; a bad command line throws UsageError. */
export async function keyCommand(db: Db, argv: readonly string[], { out }: Output): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'create':
      return create(db, rest, out);
    case 'list':
      return list(db, rest, out);
    case 'revoke':
      return revoke(db, rest, out);
    default:
      throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  }
}

/** parseArgs, its complaints (an unknown option, a missing value) as UsageError. */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function create(db: Db, args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = usage(() =>
    parseArgs({
      args: [...args],
      options: { scope: { type: 'string' }, name: { type: 'string' } },
      allowPositionals: true,
    }),
  );
  if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  const scope = values.scope;
  if (typeof scope !== 'string' || !isScope(scope)) {
    throw new UsageError(`--scope must be one of ${SCOPES.join(', ')}.`);
  }
  const name = typeof values.name === 'string' && values.name.trim() ? values.name.trim() : null;
  const made = generateKey();
  const record = await db.write((tx) => createApiKey(tx, { id: made.id, name, scope, hash: made.hash }));
  out(`Created key ${record.id} (${record.scope}${name ? `, "${name}"` : ''}) at ${record.createdAt}.`);
  out('It is shown this once and stored only as a hash; clients send it as "Authorization: Bearer <key>":');
  out(made.key);
  return 0;
}

async function list(db: Db, args: readonly string[], out: (line: string) => void): Promise<number> {
  const { positionals } = usage(() => parseArgs({ args: [...args], allowPositionals: true }));
  if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  const keys = await db.read((tx) => listApiKeys(tx));
  if (!keys.length) {
    out('No API keys.');
    return 0;
  }
  for (const line of table(keys)) out(line);
  return 0;
}

async function revoke(db: Db, args: readonly string[], out: (line: string) => void): Promise<number> {
  const { positionals } = usage(() => parseArgs({ args: [...args], allowPositionals: true }));
  const [id, extra] = positionals;
  if (!id || extra !== undefined) throw new UsageError('revoke takes one key id (see npm run key -- list).');
  const record = await db.write((tx) => revokeApiKey(tx, id));
  if (!record) {
    out(`No key has the id "${id}".`);
    return 1;
  }
  out(
    `Revoked key ${record.id} (${record.scope}${record.name ? `, "${record.name}"` : ''}) at ${record.revokedAt}.`,
  );
  return 0;
}

function table(keys: readonly ApiKeyRecord[]): string[] {
  const rows = [
    ['ID', 'NAME', 'SCOPE', 'CREATED', 'REVOKED'],
    ...keys.map((k) => [k.id, k.name ?? '-', k.scope, k.createdAt, k.revokedAt ?? '-']),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
