import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { Neo4jError } from 'neo4j-driver';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parseBookmarks } from '../src/http/bookmarks.js';
import { clientError } from '../src/http/errors.js';
import { createDriver, Db } from '../src/neo4j/driver.js';
import { classifyDbError } from '../src/neo4j/errors.js';
import { testApp } from './support/app.js';
import { removeEntities, seededDb } from './support/db.js';
import { testKeys } from './support/keys.js';

/**
 * Read-your-writes across instances: two apps over the run's Neo4j, each with its own driver (the second
 * through a neo4j:// URI, so its reads and writes are routed), stateless; the client carries the bookmark of
 * a write from one to the other in x-bookmark.
 */

const PREFIX = 'company:bookmark-test-';
const c = inject('neo4j');
const db = seededDb();
// The second instance's driver routes (neo4j://): on one server, reads and writes go to it under every role.
const routed = new Db(
  createDriver({ ...c, uri: c.uri.replace(/^bolt(\+s|\+ssc)?:/, 'neo4j$1:'), txTimeoutMs: 30_000 }),
  c.database,
  30_000,
);
const keys = testKeys(db);
afterAll(async () => {
  await removeEntities(db, [PREFIX]);
  await routed.close();
});

const logged: unknown[] = [];
const first = testApp({ db, logError: (_id, err) => logged.push(err) });
const second = testApp({ db: routed, corsOrigins: '*', logError: (_id, err) => logged.push(err) });

interface Answer {
  status: number;
  bookmark: string | null;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(
  app: typeof first,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await app.fetch('http://test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, bookmark: res.headers.get('x-bookmark'), body: await res.json() };
}

/** An entity written straight into Neo4j through a view of the Db, with the bookmarks of that write. */
async function writeDirectly(name: string): Promise<{ id: string; bookmarks: string[] }> {
  const key = `${PREFIX}${name.toLowerCase().replace(/\W+/g, '-')}`;
  const view = db.withBookmarks([]);
  expect(view.committedBookmarks()).toBeNull();
  await view.write((tx) =>
    tx.run(
      `CREATE (:Entity:Company {id: $key, kind: 'Company', name: $name, sortName: toLower($name), aliases: []})`,
      { key, name },
    ),
  );
  const bookmarks = view.committedBookmarks();
  expect(bookmarks?.length).toBeGreaterThan(0);
  return { id: encodeGlobalID('Company', key), bookmarks: bookmarks ?? [] };
}

const READ = 'query Read($id: ID!) { node(id: $id) { ... on Entity { key name } } }';

describe('a Db view', () => {
  it('remembers the bookmark of the write it committed; the shared Db and a view that only read remember none', async () => {
    const reader = db.withBookmarks([]);
    await reader.readOne((tx) => tx.run('RETURN 1'));
    expect(reader.committedBookmarks()).toBeNull();
    const { bookmarks } = await writeDirectly('View One');
    expect(db.committedBookmarks()).toBeNull();
    // Bookmarks pass the header's own check, so a client can send back exactly what it got.
    expect(parseBookmarks(bookmarks.join(','))).toEqual(bookmarks);
  });

  it('reads, through another driver that routes, what a write through the first committed', async () => {
    const { bookmarks } = await writeDirectly('View Two');
    const key = `${PREFIX}view-two`;
    const view = routed.withBookmarks(bookmarks);
    const names = await view.readOne(async (tx) => {
      const result = await tx.run('MATCH (e:Entity {id: $key}) RETURN e.name AS name', { key });
      return result.records.map((r) => r.get('name'));
    });
    expect(names).toEqual(['View Two']);
    // A view that writes starts from the bookmarks it was given and hands on the newer one.
    await view.write((tx) =>
      tx.run('MATCH (e:Entity {id: $key}) SET e.description = $d', { key, d: 'again' }),
    );
    const after = view.committedBookmarks();
    expect(after?.length).toBeGreaterThan(0);
    expect(after).not.toEqual(bookmarks);
  });

  it('keeps a subclass’s behaviour: the view is the same Db but for its bookmarks', async () => {
    class Counting extends Db {
      reads = 0;
      override readOne<T>(work: Parameters<Db['readOne']>[0]): Promise<T> {
        this.reads += 1;
        return super.readOne(work) as Promise<T>;
      }
    }
    const counting = new Counting(db.driver, db.database, db.txTimeoutMs);
    await counting.withBookmarks([]).readOne((tx) => tx.run('RETURN 1'));
    expect(counting.reads).toBe(1);
  });

  it('does not retry a bookmark Neo4j did not reach (it has waited already), nor stop asking Neo4j for it', async () => {
    // Transient errors retried for 300 ms at most.
    const brief = new Db(db.driver, db.database, db.txTimeoutMs, 1_000, 300);
    const failing = (code: string) => {
      let calls = 0;
      const attempt = brief.withBookmarks([]).readOne(() => {
        calls += 1;
        return Promise.reject(new Neo4jError('not up to the requested version', code, '', ''));
      });
      return attempt.catch((err: unknown) => ({ err, calls }));
    };
    const notReached = await failing('Neo.TransientError.Transaction.BookmarkTimeout');
    expect(classifyDbError(notReached.err)).toBe('BOOKMARK_NOT_REACHED');
    expect(notReached.calls).toBe(1);
    // Another transient error is retried.
    const deadlock = await failing('Neo.TransientError.Transaction.DeadlockDetected');
    expect(deadlock.calls).toBeGreaterThan(1);
    // The breaker stayed closed: the next request reaches Neo4j.
    const one = await brief.readOne(async (tx) => (await tx.run('RETURN 1 AS one')).records[0]?.get('one'));
    expect(one).toBe(1);
  });
});

describe('x-bookmark over HTTP, across two instances', () => {
  it('lets the second instance read, with the bookmark, what was written beside the first', async () => {
    logged.length = 0;
    const { id, bookmarks } = await writeDirectly('Http One');
    const read = await post(second, READ, { id }, { 'x-bookmark': bookmarks.join(',') });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ data: { node: { key: `${PREFIX}http-one`, name: 'Http One' } } });
    // Nothing was written in that request: no bookmark in its answer.
    expect(read.bookmark).toBeNull();
    expect(logged).toEqual([]);
  });

  it('takes several bookmarks, comma-separated, and an empty header as none', async () => {
    const a = await writeDirectly('Http Two');
    const b = await writeDirectly('Http Three');
    const both = await post(
      second,
      READ,
      { id: a.id },
      { 'x-bookmark': `${a.bookmarks[0]}, ${b.bookmarks[0]}` },
    );
    expect(both.body.data.node.name).toBe('Http Two');
    const empty = await post(second, READ, { id: b.id }, { 'x-bookmark': '' });
    expect(empty.body.data.node.name).toBe('Http Three');
  });

  it('answers a mutation through the first with x-bookmark, with which the second reads the write', async () => {
    const writer = await keys('write', 'bookmark test writer');
    const auth = { authorization: `Bearer ${writer.key}` };
    const UPSERT = `mutation Upsert($id: ID!, $name: String!) {
      upsertEntity(input: { id: $id, kind: Company, name: $name }) { entity { id key name } change { id } }
    }`;
    const wrote = await post(
      first,
      UPSERT,
      { id: `${PREFIX}upserted`, name: 'Bookmark Test Upserted' },
      auth,
    );
    expect(wrote.body.errors).toBeUndefined();
    const entity = wrote.body.data.upsertEntity.entity as { id: string; key: string; name: string };
    expect(wrote.bookmark).toBeTruthy();
    const bookmarks = parseBookmarks(wrote.bookmark);

    const read = await post(second, READ, { id: entity.id }, { 'x-bookmark': wrote.bookmark ?? '' });
    expect(read.body).toEqual({ data: { node: { key: entity.key, name: 'Bookmark Test Upserted' } } });
    expect(read.bookmark).toBeNull();

    // A write sent with that bookmark answers with its own, newer one.
    const again = await post(
      second,
      UPSERT,
      { id: `${PREFIX}upserted-again`, name: 'Bookmark Test Upserted Again' },
      { ...auth, 'x-bookmark': wrote.bookmark ?? '' },
    );
    expect(again.body.errors).toBeUndefined();
    expect(again.bookmark).toBeTruthy();
    expect(parseBookmarks(again.bookmark)).not.toEqual(bookmarks);

    // A write whose bookmark Neo4j refuses writes nothing.
    const refused = await post(
      first,
      UPSERT,
      { id: `${PREFIX}refused`, name: 'Bookmark Test Refused' },
      { ...auth, 'x-bookmark': 'FB:kcwQAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    );
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      header: 'x-bookmark',
    });
    expect(refused.bookmark).toBeNull();
    const none = await db.readOne((tx) =>
      tx.run('MATCH (e:Entity {id: $id}) RETURN count(e) AS n', { id: `${PREFIX}refused` }),
    );
    expect(none.records[0]?.get('n')).toBe(0);
  });

  it('refuses a malformed header with 400, naming it, before anything runs', async () => {
    const cases = [
      'not a bookmark!',
      'FB:abc,,FB:def',
      'FB:abc;DROP',
      'A'.repeat(5_000),
      Array.from({ length: 17 }, () => 'FB:abc').join(','),
    ];
    for (const header of cases) {
      const res = await post(second, '{ entity(name: "Xiaomi") { name } }', {}, { 'x-bookmark': header });
      expect(res.status, header.slice(0, 40)).toBe(400);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors).toHaveLength(1);
      const [error] = res.body.errors ?? [];
      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', header: 'x-bookmark' });
      expect(error?.message).toContain('x-bookmark');
      expect(error?.message).not.toContain(header.slice(0, 40));
    }
  });

  it('answers a well-formed bookmark Neo4j refuses with BAD_USER_INPUT naming the header, not a masked error', async () => {
    logged.length = 0;
    const res = await post(
      second,
      '{ entity(name: "Xiaomi") { name } }',
      {},
      { 'x-bookmark': 'FB:kcwQAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('x-bookmark'),
      extensions: { code: 'BAD_USER_INPUT', header: 'x-bookmark' },
    });
    // The client's mistake, not the service's: nothing logged as unexpected.
    expect(logged).toEqual([]);
  });

  it('answers a bookmark Neo4j did not reach in time as SERVICE_UNAVAILABLE naming the header, unlogged', () => {
    const reported: unknown[] = [];
    const timedOut = new Neo4jError(
      'not up to the requested version',
      'Neo.TransientError.Transaction.BookmarkTimeout',
      '',
      '',
    );
    const error = clientError(new GraphQLError('x', { originalError: timedOut }), 'req-1', (e) =>
      reported.push(e),
    );
    expect(error.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', header: 'x-bookmark' });
    expect(error.message).toContain('x-bookmark');
    expect(reported).toEqual([]);
  });

  it('is allowed to browser pages: CORS lets a page send x-bookmark and read it back', async () => {
    const preflight = await second.fetch('http://test/graphql', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-bookmark',
      },
    });
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-bookmark');
    const res = await second.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://app.example' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    expect(exposed).toContain('x-bookmark');
  });
});
