import type { Db } from '../../src/neo4j/driver.js';
import { testApp } from './app.js';

export interface GqlResponse<T = Record<string, any>> {
  status: number;
  body: {
    data?: T | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

/**
 * Sends a query to the app as a client would, over HTTP semantics but without a socket; `headers` are added to
 * the request's (an API key: `{ authorization: 'Bearer ...' }`).
 */
export function gqlClient(db: Db, logged: unknown[] = []) {
  const yoga = testApp({ db, logError: (_id, err) => logged.push(err) });
  return async function gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<GqlResponse<T>> {
    const res = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as GqlResponse<T>['body'] };
  };
}
