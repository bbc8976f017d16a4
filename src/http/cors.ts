import type { YogaServerOptions } from 'graphql-yoga';
import { BOOKMARK_HEADER } from './bookmarks.js';

type CorsOptions = YogaServerOptions<object, object>['cors'];

/**
 * Which web pages may call the API from a browser: '*' for any (local mode), a list, or none (production
 * without CORS_ORIGINS). The request id is exposed, so a page can quote it when it reports a problem, and the
 * bookmark of a write, so a page can read its own writes (it sends it back in x-bookmark). The request headers
 * a preflight asks for (Authorization, x-request-id, x-bookmark among them) are allowed as asked: the API takes
 * no cookies, so a header gives a page nothing it does not already hold.
 */
export function corsOptions(origins: '*' | string[] | undefined): CorsOptions {
  const exposedHeaders = ['x-request-id', BOOKMARK_HEADER];
  // Any origin, but without credentials: the API uses none, and reflecting origins with them is unsafe.
  if (origins === '*') return { origin: '*', credentials: false, exposedHeaders };
  if (origins?.length) return { origin: origins, exposedHeaders };
  return false;
}
