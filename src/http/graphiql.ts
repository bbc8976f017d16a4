import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { YogaServerOptions } from 'graphql-yoga';
import { DEFAULT_QUERY } from './examples.js';

type GraphiQLOptions = YogaServerOptions<object, object>['graphiql'];

/** GraphiQL at /graphql in a browser, opening with the saved example queries (src/http/examples.ts). */
export function graphiqlOptions(enabled: boolean): GraphiQLOptions {
  return enabled ? { title: 'marketgraph', defaultQuery: DEFAULT_QUERY } : false;
}

/**
 * The page with GraphiQL's scripts and styles inlined (bundled by @graphql-yoga/render-graphiql), instead of
 * Yoga's default page that loads them from a public CDN: it opens on a machine without internet access.
 */
export { renderGraphiQL };
