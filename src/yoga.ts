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

function findRequestId(error: unknown): string | undefined {
  return error instanceof GraphQLError ? ((error.extensions?.requestId as string | undefined) ?? undefined) : undefined;
}

/** The GraphQL app without a socket: the server binds it to a port, tests call yoga.fetch directly. */
export function createApp(options: AppOptions) {
  const logError =
    options.logError ??
    ((requestId, error) => console.error(`[${requestId}]`, error instanceof Error ? (error.stack ?? error.message) : error));
  return createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: options.graphiql ? { title: 'marketgraph', defaultQuery: DEFAULT_QUERY } : false,
    context: ({ request }) => ({
      graph: createGraphContext(options.db),
      requestId: request.headers.get('x-request-id')?.slice(0, 100) || randomUUID(),
    }),
    maskedErrors: {
      maskError(error, message) {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (error instanceof GraphQLError && !original && error.extensions?.code !== undefined) return error;
        if (original instanceof GraphQLError && CLIENT_CODES.has(String(original.extensions?.code))) return original;
        const requestId = findRequestId(error) ?? randomUUID();
        logError(requestId, original ?? error);
        const failure = classifyDbError(original);
        const code = failure === 'SERVICE_UNAVAILABLE' ? 'SERVICE_UNAVAILABLE' : failure === 'TIMEOUT' ? 'TIMEOUT' : 'INTERNAL_SERVER_ERROR';
        const text =
          code === 'SERVICE_UNAVAILABLE'
            ? 'The graph database is unavailable; try again shortly.'
            : code === 'TIMEOUT'
              ? 'The query took too long and was stopped.'
              : message;
        return new GraphQLError(text, {
          path: error instanceof GraphQLError ? error.path : undefined,
          extensions: { code, requestId },
        });
      },
    },
  });
}
