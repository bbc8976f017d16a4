import { Neo4jError } from 'neo4j-driver';

/**
 * What a Neo4j error means to a client. BAD_BOOKMARK: Neo4j refused a bookmark the client sent (the request's
 * own mistake); BOOKMARK_NOT_REACHED: the server did not reach the state a bookmark names in time (a lagging
 * reader, or a bookmark from elsewhere). Neither says Neo4j is down, so neither opens the breaker.
 */
export type DbFailure =
  | 'SERVICE_UNAVAILABLE'
  | 'TIMEOUT'
  | 'BAD_BOOKMARK'
  | 'BOOKMARK_NOT_REACHED'
  | 'INTERNAL';

const unavailableCodes = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.TransientError.General.DatabaseUnavailable',
]);

const badBookmarkCodes = new Set([
  'Neo.ClientError.Transaction.InvalidBookmark',
  'Neo.ClientError.Transaction.InvalidBookmarkMixture',
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
  if (badBookmarkCodes.has(err.code)) return 'BAD_BOOKMARK';
  if (err.code === 'Neo.TransientError.Transaction.BookmarkTimeout') return 'BOOKMARK_NOT_REACHED';
  return 'INTERNAL';
}
