import type { YogaServerOptions } from 'graphql-yoga';

type CorsOptions = YogaServerOptions<object, object>['cors'];

/**
 * Which web pages may call the API from a browser: '*' for any (local mode), a list, or none (production
 * without CORS_ORIGINS). The request id is exposed, so a page can quote it when it reports a problem.
 */
export function corsOptions(origins: '*' | string[] | undefined): CorsOptions {
  const exposedHeaders = ['x-request-id'];
  // Any origin, but without credentials: the API uses none, and reflecting origins with them is unsafe.
  if (origins === '*') return { origin: '*', credentials: false, exposedHeaders };
  if (origins?.length) return { origin: origins, exposedHeaders };
  return false;
}
