import { GraphQLError } from 'graphql';

/** A term that matched nothing: the message quotes it so a front-end can show it as is. */
export function notFound(term: string, what: string): GraphQLError {
  return new GraphQLError(`No ${what} matches "${term}".`, {
    extensions: { code: 'NOT_FOUND', term },
  });
}

export function ambiguous(term: string, candidates: string[]): GraphQLError {
  return new GraphQLError(`"${term}" could mean ${candidates.join(', ')}; use a fuller name or the id.`, {
    extensions: { code: 'AMBIGUOUS', term, candidates },
  });
}

export function badInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}
