import { randomUUID } from 'node:crypto';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';

/** A client's own id is kept when it is short and plain; anything else is replaced, never echoed. */
const REQUEST_ID = /^[\w.:-]{1,100}$/;

interface RequestInfo {
  id: string;
  start: number;
  operation?: string;
}

/**
 * Request ids and the access log: every answer carries `x-request-id` (the client's own, or a fresh UUID),
 * and every request but health checks is logged once with its operation, status and time.
 */
export function requestLog(log: Logger | undefined) {
  const requests = new WeakMap<Request, RequestInfo>();
  const idOf = (request: Request) => requests.get(request)?.id ?? randomUUID();

  const plugin: Plugin<{ request?: Request }> = {
    onRequest({ request }) {
      const given = request.headers.get('x-request-id');
      requests.set(request, {
        id: given && REQUEST_ID.test(given) ? given : randomUUID(),
        start: performance.now(),
      });
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const info = request && requests.get(request);
      if (!info) return;
      const operations = (args.document as DocumentNode).definitions.filter(
        (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
      );
      const operation = args.operationName
        ? operations.find((o) => o.name?.value === args.operationName)
        : operations[0];
      info.operation = operation?.name?.value ?? operation?.operation;
    },
    onResponse({ request, response }) {
      const info = requests.get(request);
      if (!info) return;
      response.headers.set('x-request-id', info.id);
      const path = new URL(request.url).pathname;
      if (path === '/health') return;
      log?.info(
        {
          requestId: info.id,
          method: request.method,
          path,
          operation: info.operation,
          status: response.status,
          ms: Math.round((performance.now() - info.start) * 10) / 10,
        },
        'request',
      );
    },
  };
  return { plugin, idOf };
}

/** Logs an unexpected error once, with its request id, then hands it to `also` (tests). */
export function reporter(log: Logger | undefined, also?: (requestId: string, error: unknown) => void) {
  return (requestId: string, error: unknown) => {
    log?.error({ requestId, err: error }, 'unexpected error');
    if (!log && !also) console.error(`[${requestId}]`, error);
    also?.(requestId, error);
  };
}

/** Yoga's own log lines: requests are logged above and unexpected errors by the error policy, once each. */
export function yogaLogging(log: Logger | undefined) {
  const quiet = () => {};
  return {
    debug: quiet,
    info: quiet,
    warn: (...args: unknown[]) => log?.warn({ args }, 'yoga'),
    error: (...args: unknown[]) => {
      if (!args.some((a) => a instanceof Error)) log?.error({ args }, 'yoga');
    },
  };
}
