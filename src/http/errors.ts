import { type ExecutionResult, GraphQLError, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { classifyDbError } from '../neo4j/errors.js';
import { ClientError } from '../schema/errors.js';
import { BOOKMARK_HEADER } from './bookmarks.js';

/**
 * The error policy: the one place that decides what a client sees of an error. A client's own mistakes
 * (a ClientError, or graphql-js's verdict on the request) pass as they are; anything else is masked, with
 * the request id, and reported with its original to the log.
 */

/** Structural check: graphql can be loaded twice (ESM and CJS builds), which defeats instanceof. */
export function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError' && 'extensions' in error;
}

/** A request the client got wrong before anything ran: 400 with application/graphql-response+json. */
function badRequest(error: GraphQLError, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT', http: { status: 400, ...extra } },
  });
}

export function clientError(
  error: GraphQLError,
  requestId: string,
  report: (original: unknown) => void,
): GraphQLError {
  const original = error.originalError;
  if (!original || original instanceof ClientError) {
    if (original || error instanceof ClientError) return error;
    // graphql-js's own verdicts (syntax, validation, a required variable not given) come without a code;
    // Yoga's HTTP errors (405, 415, a malformed body) come with theirs.
    if (error.extensions?.code === undefined && !error.path) return badRequest(error);
    if (!error.extensions?.unexpected) return error;
  }
  if (!error.path && isGraphQLError(original) && !original.originalError) {
    // A variable of the wrong type: graphql-js's verdict on the request, before any resolver ran.
    return badRequest(error, { spec: true });
  }
  if (original instanceof Error && original.name === 'PothosValidationError') {
    // Pothos refuses input it cannot decode, such as a malformed global id given to node(id:).
    const field = error.nodes?.[0];
    const args = field?.kind === Kind.FIELD ? (field.arguments ?? []) : [];
    return new GraphQLError(original.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: { code: 'BAD_USER_INPUT', ...(args.length === 1 ? { argument: args[0]?.name.value } : {}) },
    });
  }
  const failure = classifyDbError(original);
  if (failure === 'BAD_BOOKMARK' || failure === 'BOOKMARK_NOT_REACHED') return bookmarkError(error, failure);
  report(original ?? error);
  const [code, message] =
    failure === 'SERVICE_UNAVAILABLE'
      ? ['SERVICE_UNAVAILABLE', 'The graph database is unavailable; try again shortly.']
      : failure === 'TIMEOUT'
        ? ['TIMEOUT', 'The query took too long and was stopped.']
        : ['INTERNAL_SERVER_ERROR', 'Unexpected error.'];
  return new GraphQLError(message, { nodes: error.nodes, path: error.path, extensions: { code, requestId } });
}

/**
 * A bookmark the client sent (x-bookmark) that Neo4j refused, or did not reach in time: the client's to fix or
 * to retry, so it is named, not masked, and not logged as unexpected.
 */
function bookmarkError(error: GraphQLError, failure: 'BAD_BOOKMARK' | 'BOOKMARK_NOT_REACHED'): GraphQLError {
  const extensions =
    failure === 'BAD_BOOKMARK'
      ? { code: 'BAD_USER_INPUT', header: BOOKMARK_HEADER, http: { status: 400 } }
      : // Like Neo4j being unreachable (HTTP 200), but not a reason to stop asking it.
        { code: 'SERVICE_UNAVAILABLE', header: BOOKMARK_HEADER };
  const message =
    failure === 'BAD_BOOKMARK'
      ? `Neo4j refused the bookmark in the ${BOOKMARK_HEADER} header; send one back as an answer gave it, or none.`
      : `The database has not yet reached the state the ${BOOKMARK_HEADER} header names; try again shortly.`;
  return new GraphQLError(message, { nodes: error.nodes, path: error.path, extensions });
}

/**
 * Applies the policy to every answer, whatever produced it (parsing, validation, context, execution), with
 * the request's own id. Yoga's own masking is off: this is the only place errors are masked.
 */
export function useErrorPolicy(
  requestIdOf: (request: Request) => string,
  report: (requestId: string, error: unknown) => void,
): Plugin {
  const apply = (result: ExecutionResult, requestId: string): ExecutionResult => {
    if (!result.errors?.length) return result;
    const errors = result.errors.map((e) => clientError(e, requestId, (err) => report(requestId, err)));
    return { ...result, errors };
  };
  return {
    onResultProcess({ request, result, setResult }) {
      const requestId = requestIdOf(request);
      if (Array.isArray(result)) setResult(result.map((r) => apply(r as ExecutionResult, requestId)));
      else if (!isAsyncIterable(result)) setResult(apply(result as ExecutionResult, requestId));
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
