import { randomUUID } from 'node:crypto';
import {
  type DocumentNode,
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import { createYoga, type Plugin, useReadinessCheck } from 'graphql-yoga';
import type { Logger } from 'pino';
import { type Context, createGraphContext } from './context.js';
import { DEFAULT_QUERY } from './examples.js';
import { costError, DEFAULT_LIMITS, estimateCost, type Limits, shapeRules } from './limits.js';
import type { Db } from './neo4j/driver.js';
import { classifyDbError } from './neo4j/errors.js';
import { missingSchema } from './neo4j/migrate.js';
import { schema } from './schema/index.js';

export interface AppOptions {
  db: Db;
  graphiql: boolean;
  /** Off in production unless asked for; field suggestions in errors go with it. */
  introspection?: boolean;
  limits?: Limits;
  maxBodyBytes?: number;
  /** Operations per batched request; 0 turns batching off. */
  batchLimit?: number;
  /** Origins allowed by CORS: '*' for any (local mode), a list, or none. */
  corsOrigins?: '*' | string[];
  logger?: Logger;
  /** Called with every unexpected error (after it is logged), for tests. */
  logError?: (requestId: string, error: unknown) => void;
}

/** Errors a client caused, passed through as they are. */
const CLIENT_CODES = new Set([
  'NOT_FOUND',
  'AMBIGUOUS',
  'BAD_USER_INPUT',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
  'QUERY_TOO_COSTLY',
  'QUERY_TOO_LARGE',
  'PAYLOAD_TOO_LARGE',
]);

/** Structural check: graphql can be loaded twice (ESM and CJS builds), which defeats instanceof. */
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError' && 'extensions' in error;
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;

interface RequestInfo {
  id: string;
  start: number;
  operation?: string;
}

/** What a client sees of an error: its own mistakes as they are, anything else masked with the request id. */
function toClientError(error: GraphQLError, requestId: string, report: (e: unknown) => void): GraphQLError {
  const original = error.originalError;
  if (!original) {
    // graphql-js's own verdicts on the request (e.g. a required variable not given) come without a code.
    if (error.extensions?.code === undefined && !error.path) {
      return new GraphQLError(error.message, {
        nodes: error.nodes,
        extensions: { ...error.extensions, code: 'BAD_USER_INPUT', http: { status: 400 } },
      });
    }
    return error;
  }
  if (isGraphQLError(original) && CLIENT_CODES.has(String(original.extensions?.code))) {
    return new GraphQLError(original.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: original.extensions,
    });
  }
  if (!error.path && isGraphQLError(original) && !original.originalError) {
    // A variable of the wrong type: graphql-js's own verdict on the request, before any resolver ran. A
    // request error, so 400 for application/graphql-response+json (the answer has no data).
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400, spec: true } },
    });
  }
  if (original instanceof Error && original.name === 'PothosValidationError') {
    // Pothos refuses input it cannot decode, such as a malformed global id given to node(id:) or nodes(ids:).
    const field = error.nodes?.[0];
    const args = field?.kind === Kind.FIELD ? (field.arguments ?? []) : [];
    return new GraphQLError(original.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: { code: 'BAD_USER_INPUT', ...(args.length === 1 ? { argument: args[0]?.name.value } : {}) },
    });
  }
  report(original);
  const failure = classifyDbError(original);
  const [code, message] =
    failure === 'SERVICE_UNAVAILABLE'
      ? ['SERVICE_UNAVAILABLE', 'The graph database is unavailable; try again shortly.']
      : failure === 'TIMEOUT'
        ? ['TIMEOUT', 'The query took too long and was stopped.']
        : ['INTERNAL_SERVER_ERROR', 'Unexpected error.'];
  return new GraphQLError(message, { nodes: error.nodes, path: error.path, extensions: { code, requestId } });
}

async function readLimited(request: Request, max: number): Promise<Uint8Array<ArrayBuffer>> {
  const reader = request.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function tooLarge(max: number): GraphQLError {
  return new GraphQLError(`Request body exceeds ${max} bytes.`, {
    extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } },
  });
}

/** The GraphQL app without a socket: the server binds it to a port, tests call yoga.fetch directly. */
export function createApp(options: AppOptions) {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const introspection = options.introspection ?? true;
  const maxBody = options.maxBodyBytes ?? 100_000;
  const log = options.logger;
  const requests = new WeakMap<Request, RequestInfo>();

  const report = (requestId: string, error: unknown) => {
    log?.error({ requestId, err: error }, 'unexpected error');
    if (!log && !options.logError) console.error(`[${requestId}]`, error);
    options.logError?.(requestId, error);
  };

  const guard: Plugin<Context> = {
    onRequest({ request }) {
      const given = request.headers.get('x-request-id');
      requests.set(request, {
        id: given && REQUEST_ID.test(given) ? given : randomUUID(),
        start: performance.now(),
      });
    },
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (request.method === 'GET' && requestParser) {
        // Yoga's GET parser lets JSON.parse fail on `variables={not json`: the client's mistake, not ours.
        const parse = requestParser;
        setRequestParser(async (req) => {
          try {
            return await parse(req);
          } catch (err) {
            if (!(err instanceof SyntaxError)) throw err;
            throw new GraphQLError(`The URL parameters are not valid JSON: ${err.message}`, {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
        });
      }
      if (request.method !== 'POST') return;
      const length = Number(request.headers.get('content-length') ?? Number.NaN);
      if (length > maxBody) throw tooLarge(maxBody);
      if (Number.isNaN(length) && requestParser) {
        // No length given (chunked): read the body ourselves, stopping at the limit, then hand it to the
        // parser Yoga chose for the content type (JSON, application/graphql, form or multipart alike).
        const parse = requestParser;
        setRequestParser(async (req) =>
          parse(
            new fetchAPI.Request(req.url, {
              method: req.method,
              headers: req.headers,
              body: await readLimited(req, maxBody),
            }),
          ),
        );
      }
    },
    onParse({ setParseFn }) {
      setParseFn((source, parseOptions) => {
        try {
          return parse(source, { ...parseOptions, maxTokens: limits.maxTokens });
        } catch (err) {
          // graphql-js gives this error no code; its message reads "Document contains more that N tokens".
          if (isGraphQLError(err) && /contains more th(?:an|at) \d+ tokens/.test(err.message)) {
            throw new GraphQLError(`Query has more than ${limits.maxTokens} tokens.`, {
              extensions: { code: 'QUERY_TOO_LARGE', http: { status: 400 } },
            });
          }
          throw err;
        }
      });
    },
    onValidate({ addValidationRule }) {
      for (const rule of shapeRules(limits)) addValidationRule(rule);
      if (!introspection) addValidationRule(NoSchemaIntrospectionCustomRule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue;
      const document = args.document as DocumentNode;
      const operations = document.definitions.filter(
        (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
      );
      const operation = args.operationName
        ? operations.find((o) => o.name?.value === args.operationName)
        : operations[0];
      const info = ctx.request ? requests.get(ctx.request) : undefined;
      if (info) info.operation = operation?.name?.value ?? operation?.operation;
      if (operation) {
        const fragments = new Map(
          document.definitions.flatMap((d) =>
            d.kind === 'FragmentDefinition' ? [[d.name.value, d] as const] : [],
          ),
        );
        const cost = estimateCost(
          args.schema,
          operation,
          fragments,
          (args.variableValues ?? {}) as Record<string, unknown>,
        );
        if (cost > limits.maxCost) {
          const e = costError(cost, limits.maxCost);
          setResultAndStopExecution({
            errors: [new GraphQLError(e.message, { extensions: { ...e.extensions, http: { status: 400 } } })],
          });
          return;
        }
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.length) return;
          const masked = result.errors.map((e) =>
            toClientError(e, ctx.requestId, (err) => report(ctx.requestId, err)),
          );
          setResult({ ...result, errors: masked });
        },
      };
    },
    onResultProcess({ result, setResult }) {
      if (introspection || Array.isArray(result) || !('errors' in result) || !result.errors) return;
      // Without introspection, "Did you mean ...?" would give the schema away field by field.
      const errors = result.errors.map((e) =>
        e.message.includes('Did you mean')
          ? new GraphQLError(e.message.replace(/ Did you mean .*\?$/, ''), {
              nodes: e.nodes,
              extensions: e.extensions,
            })
          : e,
      );
      setResult({ ...result, errors });
    },
    onResponse({ request, response }) {
      const info = requests.get(request);
      if (!info) return;
      response.headers.set('x-request-id', info.id);
      const url = new URL(request.url);
      if (url.pathname === '/health') return;
      log?.info(
        {
          requestId: info.id,
          method: request.method,
          path: url.pathname,
          operation: info.operation,
          status: response.status,
          ms: Math.round((performance.now() - info.start) * 10) / 10,
        },
        'request',
      );
    },
  };

  return createYoga<{ request?: Request }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    batching: options.batchLimit ? { limit: options.batchLimit } : false,
    cors:
      options.corsOrigins === '*'
        ? // Any origin, but without credentials: the API uses none, and reflecting origins with them is unsafe.
          { origin: '*', credentials: false }
        : options.corsOrigins?.length
          ? { origin: options.corsOrigins }
          : false,
    // Requests are logged by the plugin above; unexpected errors once, with their request id.
    logging: {
      debug: () => {},
      info: () => {},
      warn: (...args: unknown[]) => log?.warn({ args }, 'yoga'),
      error: (...args: unknown[]) => {
        if (!args.some(isGraphQLError)) log?.error({ args }, 'yoga');
      },
    },
    graphiql: options.graphiql ? { title: 'marketgraph', defaultQuery: DEFAULT_QUERY } : false,
    context: ({ request }) => ({
      graph: createGraphContext(options.db),
      requestId: (request && requests.get(request)?.id) ?? randomUUID(),
    }),
    plugins: [
      guard,
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => {
          try {
            const missing = await options.db.probe((tx) => missingSchema(tx));
            if (missing.length === 0) return Response.json({ ready: true });
            return Response.json(
              { ready: false, reason: `schema not applied: ${missing.join(', ')}` },
              { status: 503 },
            );
          } catch (err) {
            const failure = classifyDbError(err);
            return Response.json(
              {
                ready: false,
                reason: failure === 'SERVICE_UNAVAILABLE' ? 'Neo4j unreachable' : 'Neo4j check failed',
              },
              { status: 503 },
            );
          }
        },
      }),
    ],
    // Errors outside execution (context, parsing) that are not the client's: masked, logged.
    maskedErrors: {
      maskError(error, message) {
        if (isGraphQLError(error) && !error.originalError) return error;
        const requestId = randomUUID();
        report(requestId, isGraphQLError(error) ? (error.originalError ?? error) : error);
        return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } });
      },
    },
  });
}
