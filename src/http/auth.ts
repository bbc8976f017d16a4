import type { Plugin } from 'graphql-yoga';
import type { AuthContext, ReadAccess, Viewer } from '../context.js';
import { type StoredKey, storedKey } from '../graph/keys.js';
import { keyId, matchesHash } from '../keys/key.js';
import type { Db } from '../neo4j/driver.js';
import { unauthenticated } from '../schema/errors.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Who a request's `Authorization: Bearer <key>` header says it is: null without the header; UNAUTHENTICATED
 * (401) for a header that is not a Bearer key, a key that is malformed, unknown, wrong or revoked. `find`
 * looks the key up by its id (one statement); the hash is compared here, so the key never leaves the process.
 */
export async function viewerFor(
  authorization: string | null,
  find: (id: string) => Promise<StoredKey | null>,
): Promise<Viewer | null> {
  if (authorization === null) return null;
  const token = BEARER.exec(authorization)?.[1];
  if (token === undefined) {
    throw unauthenticated('The Authorization header must be "Bearer <API key>".', true);
  }
  const id = keyId(token);
  if (id === null) throw unauthenticated('The API key is malformed.', true);
  const stored = await find(id);
  if (!stored || !matchesHash(token, stored.hash)) throw unauthenticated('The API key is not valid.', true);
  if (stored.revoked) throw unauthenticated('The API key has been revoked.', true);
  return { keyId: stored.id, name: stored.name, scope: stored.scope };
}

/**
 * Puts the request's key (`viewer`) and READ_ACCESS into the context, for the schema's auth scopes
 * (src/schema/builder.ts). The key is checked before the query is parsed, so a request with a bad key is
 * refused whatever it asks; the check is made once per request (a batch shares it) and kept nowhere after it.
 */
export function useAuth(db: Db, readAccess: ReadAccess): Plugin<{ request: Request } & Partial<AuthContext>> {
  const viewers = new WeakMap<Request, Promise<Viewer | null>>();
  const viewerOf = (request: Request) => {
    let viewer = viewers.get(request);
    if (!viewer) {
      viewer = viewerFor(request.headers.get('authorization'), (id) => db.readOne((tx) => storedKey(tx, id)));
      viewers.set(request, viewer);
    }
    return viewer;
  };
  return {
    async onParams({ request }) {
      await viewerOf(request);
    },
    async onContextBuilding({ context, extendContext }) {
      extendContext({ viewer: await viewerOf(context.request), readAccess });
    },
  };
}
