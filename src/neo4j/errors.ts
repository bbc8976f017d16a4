import { Neo4jError } from 'neo4j-driver';

export type DbFailure = 'SERVICE_UNAVAILABLE' | 'TIMEOUT' | 'INTERNAL';

const unavailableCodes = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.TransientError.General.DatabaseUnavailable',
]);

/** What a Neo4j error means to a client, decided by its code (never its message). */
export function classifyDbError(err: unknown): DbFailure | null {
  if (!(err instanceof Neo4jError)) return null;
  if (unavailableCodes.has(err.code) || err.code.startsWith('Neo.TransientError.Cluster.'))
    return 'SERVICE_UNAVAILABLE';
  if (
    err.code === 'Neo.ClientError.Transaction.TransactionTimedOut' ||
    err.code.includes('TransactionTimedOutClientConfiguration')
  ) {
    return 'TIMEOUT';
  }
  return 'INTERNAL';
}
