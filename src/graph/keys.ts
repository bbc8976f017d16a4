import type { Scope } from '../keys/key.js';
import type { Runner, Tx } from '../neo4j/driver.js';

/** An API key as it is listed: never its hash. Times are ISO 8601 strings. */
export interface ApiKeyRecord {
  id: string;
  name: string | null;
  scope: Scope;
  createdAt: string;
  revokedAt: string | null;
}

/** What a request's key is checked against. */
export interface StoredKey {
  id: string;
  name: string | null;
  scope: Scope;
  hash: string;
  revoked: boolean;
}

const LISTED = `k.id AS id, k.name AS name, k.scope AS scope,
  toString(k.createdAt) AS createdAt, toString(k.revokedAt) AS revokedAt`;

function listed(rec: { get(key: string): unknown }): ApiKeyRecord {
  return {
    id: rec.get('id') as string,
    name: (rec.get('name') as string | null) ?? null,
    scope: rec.get('scope') as Scope,
    createdAt: rec.get('createdAt') as string,
    revokedAt: (rec.get('revokedAt') as string | null) ?? null,
  };
}

export async function createApiKey(
  tx: Tx,
  key: { id: string; name: string | null; scope: Scope; hash: string },
): Promise<ApiKeyRecord> {
  const r = await tx.run(
    `CREATE (k:ApiKey {id: $id, name: $name, scope: $scope, hash: $hash,
       createdAt: datetime.truncate('millisecond', datetime())})
     RETURN ${LISTED}`,
    key,
  );
  const rec = r.records[0];
  if (!rec) throw new Error('CREATE returned no key');
  return listed(rec);
}

/** Every key, oldest first. */
export async function listApiKeys(tx: Runner): Promise<ApiKeyRecord[]> {
  const r = await tx.run(`MATCH (k:ApiKey) RETURN ${LISTED} ORDER BY k.createdAt, k.id`);
  return r.records.map(listed);
}

/** Revokes a key (a key revoked already keeps its first time); null when there is no such key. */
export async function revokeApiKey(tx: Tx, id: string): Promise<ApiKeyRecord | null> {
  const r = await tx.run(
    `MATCH (k:ApiKey {id: $id})
     SET k.revokedAt = coalesce(k.revokedAt, datetime.truncate('millisecond', datetime()))
     RETURN ${LISTED}`,
    { id },
  );
  const rec = r.records[0];
  return rec ? listed(rec) : null;
}

/** The key with this id, for checking a request's key: one seek on the api_key_id constraint's index. */
export async function storedKey(tx: Runner, id: string): Promise<StoredKey | null> {
  const r = await tx.run(
    `MATCH (k:ApiKey {id: $id})
     RETURN k.id AS id, k.name AS name, k.scope AS scope, k.hash AS hash, k.revokedAt IS NOT NULL AS revoked`,
    { id },
  );
  const rec = r.records[0];
  if (!rec) return null;
  return {
    id: rec.get('id') as string,
    name: (rec.get('name') as string | null) ?? null,
    scope: rec.get('scope') as Scope,
    hash: rec.get('hash') as string,
    revoked: rec.get('revoked') as boolean,
  };
}
