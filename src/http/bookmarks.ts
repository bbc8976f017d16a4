import type { Plugin } from 'graphql-yoga';
import type { Db } from '../neo4j/driver.js';
import { ClientError } from '../schema/errors.js';

/**
 * Read-your-writes across instances: an answer to a request that committed a write carries the Neo4j
 * bookmark of that write in `x-bookmark`; a request that sends it back (any instance, any server of a cluster)
 * reads at least that state. The client carries the bookmark, so instances stay stateless.
 */
export const BOOKMARK_HEADER = 'x-bookmark';

/** Bounds on what a client may send: a few bookmarks, each of Neo4j's form (base64 and a prefix). */
const MAX_HEADER_LENGTH = 4096;
const MAX_BOOKMARKS = 16;
const BOOKMARK = /^[A-Za-z0-9+/=:_-]{1,512}$/;

function malformed(reason: string): ClientError {
  return new ClientError('BAD_USER_INPUT', `The ${BOOKMARK_HEADER} header ${reason}.`, {
    header: BOOKMARK_HEADER,
    http: { status: 400 },
  });
}

/**
 * The bookmarks of an `x-bookmark` header: none without it (or with it empty); one or more, comma-separated, each as Neo4j
 * gives them out. A malformed header is BAD_USER_INPUT (400) naming it; one that is well formed but that
 * Neo4j refuses is refused when a transaction starts from it (src/http/errors.ts).
 */
export function parseBookmarks(header: string | null): string[] {
  // An empty header is a client that has no bookmark yet.
  if (header === null || header.trim() === '') return [];
  if (header.length > MAX_HEADER_LENGTH) {
    throw malformed(`is longer than ${MAX_HEADER_LENGTH} characters`);
  }
  const bookmarks = header.split(',').map((b) => b.trim());
  if (bookmarks.length > MAX_BOOKMARKS) throw malformed(`holds more than ${MAX_BOOKMARKS} bookmarks`);
  if (!bookmarks.every((b) => BOOKMARK.test(b))) {
    throw malformed(
      'must be bookmarks as a previous answer gave them: comma-separated, each of letters, digits and + / = : _ -',
    );
  }
  return bookmarks;
}

/**
 * Gives each request its own view of the Db (`dbFor`, for the context: both reads and writes use it), starting
 * from the bookmarks the request sent, and answers with the bookmark of the writes it committed. A malformed
 * header is refused before the query is parsed, whatever it asks.
 */
export function useBookmarks(db: Db) {
  const views = new WeakMap<Request, Db>();
  const dbFor = (request: Request): Db => {
    let view = views.get(request);
    if (!view) {
      view = db.withBookmarks(parseBookmarks(request.headers.get(BOOKMARK_HEADER)));
      views.set(request, view);
    }
    return view;
  };
  const plugin: Plugin = {
    onParams({ request }) {
      dbFor(request);
    },
    onResponse({ request, response }) {
      const written = views.get(request)?.committedBookmarks();
      if (written?.length) response.headers.set(BOOKMARK_HEADER, written.join(','));
    },
  };
  return { plugin, dbFor };
}
