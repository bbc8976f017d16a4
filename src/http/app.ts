import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { DEFAULT_LIMITS, DEFAULT_MAX_BODY_BYTES, type Limits } from '../config.js';
import { type AuthContext, type Context, createGraphContext, type ReadAccess } from '../context.js';
import type { Db } from '../neo4j/driver.js';
import { schema } from '../schema/index.js';
import { createWrites } from '../writes.js';
import { useAuth } from './auth.js';
import { useBodyLimits } from './body.js';
import { useBookmarks } from './bookmarks.js';
import { corsOptions } from './cors.js';
import { useErrorPolicy } from './errors.js';
import { useExplorer } from './explorer.js';
import { graphiqlOptions, renderGraphiQL } from './graphiql.js';
import { useLimits } from './limits.js';
import { useReadiness } from './readiness.js';
import { reporter, requestLog, yogaLogging } from './request-log.js';

export interface AppOptions {
  db: Db;
  graphiql: boolean;
  /** The explorer page at /explore (default on); `dir` serves its build from elsewhere (tests). */
  explorer?: boolean | { dir: string };
  /** Off in production unless asked for; field suggestions in errors go with it. */
  introspection?: boolean;
  limits?: Limits;
  maxBodyBytes?: number;
  /** Operations per batched request; 0 turns batching off. */
  batchLimit?: number;
  /** Origins allowed by CORS: '*' for any (local mode), a list, or none. */
  corsOrigins?: '*' | string[];
  /** READ_ACCESS: `key` makes every query need an API key (default `open`). */
  readAccess?: ReadAccess;
  logger?: Logger;
  /** Called with every unexpected error (after it is logged), for tests. */
  logError?: (requestId: string, error: unknown) => void;
  /** Plugins run after the edge's own (before the schema sees a request). */
  plugins?: Plugin[];
}

/** The GraphQL app without a socket: the server binds it to a port, tests call yoga.fetch directly. */
export function createApp(options: AppOptions) {
  const introspection = options.introspection ?? true;
  const requests = requestLog(options.logger);
  const bookmarks = useBookmarks(options.db);
  // The auth plugin adds the rest of the context (AuthContext).
  return createYoga<{ request?: Request }, Omit<Context, keyof AuthContext>>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    batching: options.batchLimit ? { limit: options.batchLimit } : false,
    cors: corsOptions(options.corsOrigins),
    graphiql: graphiqlOptions(options.graphiql),
    renderGraphiQL,
    logging: yogaLogging(options.logger),
    // Errors are masked in one place, the error policy, with the request's own id.
    maskedErrors: false,
    // Reads and writes of a request share its own view of the Db: the bookmarks it sent, then its writes'.
    context: ({ request }) => {
      const db = bookmarks.dbFor(request);
      return { graph: createGraphContext(db), writes: createWrites(db), requestId: requests.idOf(request) };
    },
    plugins: [
      requests.plugin,
      useBodyLimits(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
      ...useLimits(options.limits ?? DEFAULT_LIMITS, introspection),
      ...(introspection ? [] : [useDisableIntrospection()]),
      useErrorPolicy(requests.idOf, reporter(options.logger, options.logError)),
      bookmarks.plugin,
      useAuth(options.db, options.readAccess ?? 'open'),
      useReadiness(options.db),
      ...useExplorer(options.explorer ?? true),
      ...(options.plugins ?? []),
    ],
  });
}
