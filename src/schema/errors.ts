import { GraphQLError } from 'graphql';

/**
 * An error a client caused, with its code: the one kind of error passed to clients as it is. Everything
 * else is masked by the HTTP edge (src/http/errors.ts), so no list of codes is kept anywhere.
 */
export class ClientError extends GraphQLError {
  constructor(code: string, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
  }
}

/** A term that matched nothing: the message quotes it so a front-end can show it as is. */
export function notFound(term: string, what: string): ClientError {
  return new ClientError('NOT_FOUND', `No ${what} matches "${term}".`, { term });
}

export function ambiguous(term: string, candidates: string[]): ClientError {
  return new ClientError(
    'AMBIGUOUS',
    `"${term}" could mean ${candidates.join(', ')}; use a fuller name or the id.`,
    { term, candidates },
  );
}

export function badInput(message: string, argument: string): ClientError {
  return new ClientError('BAD_USER_INPUT', message, { argument });
}
