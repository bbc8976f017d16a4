import { GraphQLError } from 'graphql';
import type { EntityKind } from '../graph/model.js';

/**
 * An error a client caused, with its code: the one kind of error passed to clients as it is. Everything
 * else is masked by the HTTP edge (src/http/errors.ts), so no list of codes is kept anywhere.
 */
export class ClientError extends GraphQLError {
  constructor(code: string, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
  }
}

/**
 * A term that matched nothing: the message quotes it so a front-end can show it as is, and names the first of
 * the names the user probably meant; `suggestions` lists them, when there are any.
 */
export function notFound(term: string, what: string, suggestions: readonly string[] = []): ClientError {
  const [first] = suggestions;
  return new ClientError(
    'NOT_FOUND',
    `No ${what} matches "${term}".${first === undefined ? '' : ` Did you mean "${first}"?`}`,
    { term, ...(first === undefined ? {} : { suggestions }) },
  );
}

/**
 * A name that means no entity (of the kind asked), as name resolution finds it, without a database at hand:
 * the schema's suggestions plugin (src/schema/suggestions.ts) turns it into the NOT_FOUND a client sees, with
 * the names a search finds for it. Seen by a client as is, it is that NOT_FOUND without suggestions.
 */
export class NameNotFound extends ClientError {
  constructor(
    readonly term: string,
    readonly what: string,
    readonly kind: EntityKind | null,
  ) {
    super('NOT_FOUND', notFound(term, what).message, { term });
  }

  withSuggestions(names: readonly string[]): ClientError {
    return notFound(this.term, this.what, names);
  }
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

/**
 * No valid API key where one is needed: HTTP 401 with the challenge RFC 6750 asks for (`invalid_token` when a
 * key was sent and is not valid). The message never quotes the key.
 */
export function unauthenticated(message: string, keySent: boolean): ClientError {
  const challenge = keySent ? 'Bearer error="invalid_token"' : 'Bearer';
  return new ClientError('UNAUTHENTICATED', message, {
    http: { status: 401, headers: { 'WWW-Authenticate': challenge } },
  });
}

/** A valid key whose scope is not enough: HTTP 403, the scope needed named in the message and the challenge. */
export function forbidden(message: string, scope: string): ClientError {
  return new ClientError('FORBIDDEN', message, {
    http: {
      status: 403,
      headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
    },
  });
}
