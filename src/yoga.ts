import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { createGraphContext } from './context.js';
import { DEFAULT_QUERY } from './examples.js';
import type { Db } from './neo4j/driver.js';
import { classifyDbError } from './neo4j/errors.js';
import { schema } from './schema/index.js';

export interface AppOptions {
  db: Db;
  graphiql: boolean;
  /** Where errors that clients only see masked are written. */
  logError?: (requestId: string, error: unknown) => void;
}

const CLIENT_CODES = new Set(['NOT_FOUND', 'AMBIGUOUS', 'BAD_USER_INPUT']);

/** Structural check: graphql can be loaded twice (ESM and CJS builds), which defeats instanceof. */
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError' && 'extensions' in error;
}

function findRequestId(error: unknown): string | undefined {
  return isGraphQLError(error)
    ? ((error.extensions?.requestId as string | undefined) ?? undefined)
    : undefined;
}

/** The GraphQL app without a socket: the server binds it to a port, tests call yoga.fetch directly. */
export function createApp(options: AppOptions) {
  const logError =
    options.logError ??
    ((requestId, error) =>
      console.error(`[${requestId}]`, error instanceof Error ? (error.stack ?? error.message) : error));
  return createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Unexpected errors are logged once, with their request id, by maskError below; client errors are not logged.
    logging: {
      debug: () => {},
      info: () => {},
      warn: (...args: unknown[]) => console.warn(...args),
      error: (...args: unknown[]) => {
        if (!args.some(isGraphQLError)) console.error(...args);
      },
    },
    graphiql: options.graphiql ? { title: 'marketgraph', defaultQuery: DEFAULT_QUERY } : false,
    context: ({ request }) => ({
      graph: createGraphContext(options.db),
      requestId: request.headers.get('x-request-id')?.slice(0, 100) || randomUUID(),
    }),
    maskedErrors: {
      maskError(error, message) {
        const original = isGraphQLError(error) ? error.originalError : error;
        if (isGraphQLError(error) && !original) return error;
        if (isGraphQLError(original) && CLIENT_CODES.has(String(original.extensions?.code))) {
          return new GraphQLError(original.message, {
            nodes: error instanceof GraphQLError ? error.nodes : undefined,
            path: isGraphQLError(error) ? error.path : undefined,
            extensions: original.extensions,
          });
        }
        const requestId = findRequestId(error) ?? randomUUID();
        logError(requestId, original ?? error);
        const failure = classifyDbError(original);
        const code =
          failure === 'SERVICE_UNAVAILABLE'
            ? 'SERVICE_UNAVAILABLE'
            : failure === 'TIMEOUT'
              ? 'TIMEOUT'
              : 'INTERNAL_SERVER_ERROR';
        const text =
          code === 'SERVICE_UNAVAILABLE'
            ? 'The graph database is unavailable; try again shortly.'
            : code === 'TIMEOUT'
              ? 'The query took too long and was stopped.'
              : message;
        return new GraphQLError(text, {
          path: isGraphQLError(error) ? error.path : undefined,
          extensions: { code, requestId },
        });
      },
    },
  });
}
