import { afterAll } from 'vitest';
import { keyCommand } from '../../src/keys/commands.js';
import type { Scope } from '../../src/keys/key.js';
import type { Db } from '../../src/neo4j/driver.js';

export interface TestKey {
  id: string;
  /** The whole key, for `Authorization: Bearer <key>`. */
  key: string;
  name: string;
}

/**
 * Makes API keys through the key command, as a user would, and removes them and every Change they recorded
 * after the calling file: a file's writes leave no trace in the log either.
 */
export function testKeys(db: Db) {
  const made: string[] = [];
  afterAll(async () => {
    await db.write((tx) =>
      tx.run(
        'MATCH (c:Change) WHERE c.keyId IN $ids DELETE c WITH 1 AS one MATCH (k:ApiKey) WHERE k.id IN $ids DELETE k',
        {
          ids: made,
        },
      ),
    );
  });
  return async function create(scope: Scope, name = `test ${scope} key`, revoke = false): Promise<TestKey> {
    const lines: string[] = [];
    const code = await keyCommand(db, ['create', '--scope', scope, '--name', name], {
      out: (l) => lines.push(l),
    });
    if (code !== 0) throw new Error(`key create failed: ${lines.join('\n')}`);
    const key = lines.at(-1) ?? '';
    const id = /^mg_([0-9a-f]{16})_/.exec(key)?.[1] ?? '';
    made.push(id);
    if (revoke) await keyCommand(db, ['revoke', id], { out: () => {} });
    return { id, key, name };
  };
}
