import { randomBytes } from 'node:crypto';
import { int } from 'neo4j-driver';
import type { Runner, Tx } from '../neo4j/driver.js';

/** Who made a write: the API key (its id and name), or the command line. */
export interface Who {
  /** The key's id; null for a command run on the server (npm run ingest). */
  keyId: string | null;
  /** The key's name, or `command line`. */
  name: string | null;
}

export const COMMAND_LINE: Who = { keyId: null, name: 'command line' };

/** What a write did, as its Change records it. */
export interface ChangeInput {
  /** The mutation (or command): ingestArticle, upsertEntity, addFact, retractFact, mergeEntities, withdrawArticle. */
  mutation: string;
  /** Ids of the entities, articles and relationships it created or changed. */
  touched: string[];
  /** How many of each thing it did, e.g. { created: 2, matched: 5, retracted: 1 }. */
  counts: Record<string, number>;
  /** The reason given (retractions, withdrawals). */
  reason?: string | null;
}

export interface ChangeRecord extends Required<ChangeInput> {
  id: string;
  /** ISO 8601, UTC. */
  at: string;
  keyId: string | null;
  keyName: string | null;
}

/** Sorts by time (an ISO instant), unique by the random tail: newest first is `ORDER BY id DESC`. */
function changeId(at: string): string {
  return `${at}~${randomBytes(6).toString('hex')}`;
}

/**
 * Records a write in the caller's transaction, so the Change exists exactly when what it describes does.
 * `touched` lists ids only (never the data), so a Change stays small whatever the write.
 */
export async function recordChange(tx: Tx, who: Who, change: ChangeInput): Promise<ChangeRecord> {
  const at = new Date().toISOString();
  const record: ChangeRecord = {
    id: changeId(at),
    at,
    keyId: who.keyId,
    keyName: who.name,
    mutation: change.mutation,
    touched: [...new Set(change.touched)],
    counts: change.counts,
    reason: change.reason ?? null,
  };
  await tx.run(
    `CREATE (c:Change {id: $id, at: datetime($at), keyId: $keyId, keyName: $keyName, mutation: $mutation,
       touched: $touched, counts: $counts, reason: $reason})`,
    { ...record, counts: JSON.stringify(record.counts) },
  );
  return record;
}

/** One page of Changes, newest first, after the cursor (a Change id); one more than asked, to tell if more follow. */
export async function listChanges(tx: Runner, first: number, after: string | null): Promise<ChangeRecord[]> {
  const r = await tx.run(
    `MATCH (c:Change) WHERE $after IS NULL OR c.id < $after
     WITH c ORDER BY c.id DESC LIMIT $limit
     RETURN c.id AS id, toString(c.at) AS at, c.keyId AS keyId, c.keyName AS keyName, c.mutation AS mutation,
       c.touched AS touched, c.counts AS counts, c.reason AS reason`,
    // A JS number goes to Neo4j as a float, which LIMIT refuses.
    { after, limit: int(first + 1) },
  );
  return r.records.map((rec) => ({
    id: rec.get('id'),
    at: rec.get('at'),
    keyId: rec.get('keyId') ?? null,
    keyName: rec.get('keyName') ?? null,
    mutation: rec.get('mutation'),
    touched: rec.get('touched') ?? [],
    counts: JSON.parse(rec.get('counts') ?? '{}') as Record<string, number>,
    reason: rec.get('reason') ?? null,
  }));
}
