import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keyCommand, UsageError } from '../src/keys/commands.js';
import { generateKey, hashKey } from '../src/keys/key.js';
import { expectedSchemaNames } from '../src/neo4j/migrate.js';
import { type AppOptions, testApp } from './support/app.js';
import { countingDb, seededDb } from './support/db.js';

/** API keys end to end: the CLI's commands, the Bearer header, the scopes in the schema, and the logs. */

// The comparison of hashes must be node:crypto's constant-time one: watched, not replaced.
const crypto = vi.hoisted(() => ({ compared: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      crypto.compared += 1;
      return actual.timingSafeEqual(a, b);
    },
  };
});

const db = seededDb();
/** Every key this file makes, removed after it. */
const made: string[] = [];

afterAll(async () => {
  await db.write((tx) => tx.run('MATCH (k:ApiKey) WHERE k.id IN $ids DELETE k', { ids: made }));
});

async function run(...argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await keyCommand(db, argv, { out: (line) => lines.push(line) });
  return { code, lines };
}

async function create(scope: string, name?: string): Promise<{ id: string; key: string; lines: string[] }> {
  const { code, lines } = await run('create', '--scope', scope, ...(name ? ['--name', name] : []));
  expect(code).toBe(0);
  const key = lines.at(-1) ?? '';
  const id = /^mg_([0-9a-f]{16})_/.exec(key)?.[1] ?? '';
  made.push(id);
  return { id, key, lines };
}

const keys: Record<'read' | 'write' | 'admin' | 'revoked', { id: string; key: string }> = {
  read: { id: '', key: '' },
  write: { id: '', key: '' },
  admin: { id: '', key: '' },
  revoked: { id: '', key: '' },
};

beforeAll(async () => {
  keys.read = await create('read', 'auth test reader');
  keys.write = await create('write', 'auth test writer');
  keys.admin = await create('admin', 'auth test admin');
  keys.revoked = await create('admin', 'auth test revoked');
  expect((await run('revoke', keys.revoked.id)).code).toBe(0);
});

function client(options: Partial<AppOptions> = {}) {
  const app = testApp({ db, ...options });
  return async (query: string, key?: string, headers: Record<string, string> = {}) => {
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
        ...headers,
      },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as { data?: any; errors?: { message: string; extensions?: any }[] };
    return { status: res.status, challenge: res.headers.get('www-authenticate'), body };
  };
}

const READ = '{ entity(name: "Xiaomi") { name } }';
const KEYS = '{ apiKeys { id name scope createdAt revokedAt } }';
const codeOf = (body: { errors?: { extensions?: any }[] }) => body.errors?.[0]?.extensions?.code;

describe('npm run key', () => {
  it('create prints the key last, once, and stores only its hash', async () => {
    const { id, key, lines } = await create('write', 'auth test once');
    expect(key).toMatch(/^mg_[0-9a-f]{16}_[0-9a-f]{64}$/);
    expect(lines[0]).toContain(`Created key ${id} (write, "auth test once")`);
    const stored = await db.read(async (tx) => {
      const r = await tx.run('MATCH (k:ApiKey {id: $id}) RETURN properties(k) AS p', { id });
      return r.records[0]?.get('p') as Record<string, unknown>;
    });
    expect(Object.keys(stored).sort()).toEqual(['createdAt', 'hash', 'id', 'name', 'scope']);
    expect(stored.hash).toBe(hashKey(key));
    expect(JSON.stringify(stored)).not.toContain(key.slice(20));
  });

  it('list shows id, name, scope, created and revoked, never the hash', async () => {
    const { code, lines } = await run('list');
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^ID\s+NAME\s+SCOPE\s+CREATED\s+REVOKED$/);
    const row = (id: string) => lines.find((l) => l.startsWith(id)) ?? '';
    expect(row(keys.read.id)).toMatch(/auth test reader\s+read\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+-$/);
    expect(row(keys.revoked.id)).toMatch(/auth test revoked\s+admin\s+\S+Z\s+\d{4}-\d\d-\d\dT\S+Z$/);
    const text = lines.join('\n');
    for (const k of Object.values(keys)) {
      expect(text).not.toContain(hashKey(k.key));
      expect(text).not.toContain(k.key);
    }
  });

  it('revoke names the key, keeps the first time, and fails for an unknown id', async () => {
    const again = await run('revoke', keys.revoked.id);
    expect(again.code).toBe(0);
    expect(again.lines[0]).toContain(`Revoked key ${keys.revoked.id}`);
    const unknown = await run('revoke', '0000000000000000');
    expect(unknown).toEqual({ code: 1, lines: ['No key has the id "0000000000000000".'] });
  });

  it('refuses a command line that means nothing', async () => {
    await expect(run('create')).rejects.toThrow(UsageError);
    await expect(run('create', '--scope', 'root')).rejects.toThrow(
      /--scope must be one of read, write, admin/,
    );
    await expect(run('create', '--scope', 'read', '--colour', 'red')).rejects.toThrow(UsageError);
    await expect(run('revoke')).rejects.toThrow(UsageError);
    await expect(run('delete', 'x')).rejects.toThrow(/Unknown command "delete"/);
  });
});

describe('the Bearer header', () => {
  const gql = client();

  it('is not needed to read (READ_ACCESS=open)', async () => {
    expect(await gql(READ)).toMatchObject({ status: 200, body: { data: { entity: { name: 'Xiaomi' } } } });
  });

  it('with a valid key of any scope reads as before', async () => {
    for (const scope of ['read', 'write', 'admin'] as const) {
      const res = await gql(READ, keys[scope].key);
      expect(res, scope).toMatchObject({ status: 200, body: { data: { entity: { name: 'Xiaomi' } } } });
    }
  });

  it('is compared in constant time', async () => {
    const before = crypto.compared;
    await gql(READ, keys.read.key);
    expect(crypto.compared).toBe(before + 1);
  });

  it('malformed, unknown, wrong or revoked: UNAUTHENTICATED (401) even for a read', async () => {
    const other = generateKey();
    const cases: Record<string, { key?: string; headers?: Record<string, string>; message: string }> = {
      malformed: { key: 'not-a-key', message: 'The API key is malformed.' },
      'not Bearer': {
        headers: { authorization: `Basic ${keys.read.key}` },
        message: 'The Authorization header must be "Bearer <API key>".',
      },
      unknown: { key: other.key, message: 'The API key is not valid.' },
      'wrong secret': {
        key: `mg_${keys.read.id}_${other.key.slice(-64)}`,
        message: 'The API key is not valid.',
      },
      revoked: { key: keys.revoked.key, message: 'The API key has been revoked.' },
    };
    for (const [what, c] of Object.entries(cases)) {
      const res = await gql(READ, c.key, c.headers);
      expect(res.status, what).toBe(401);
      expect(res.challenge, what).toBe('Bearer error="invalid_token"');
      expect(res.body.data, what).toBeUndefined();
      expect(res.body.errors, what).toEqual([
        { message: c.message, extensions: { code: 'UNAUTHENTICATED' } },
      ]);
    }
  });

  it('is looked up with one statement, once for a whole batch', async () => {
    const counting = countingDb(db);
    const app = testApp({ db: counting, batchLimit: 5 });
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.admin.key}` },
      body: JSON.stringify([{ query: '{ apiKeys { id } }' }, { query: '{ apiKeys { scope } }' }]),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(2);
    expect(counting.sent.filter((s) => s.includes('k.hash AS hash'))).toHaveLength(1);
  });
});

describe('an admin-only query (apiKeys)', () => {
  const gql = client();

  it('without a key: UNAUTHENTICATED (401, Bearer challenge)', async () => {
    const res = await gql(KEYS);
    expect(res.status).toBe(401);
    expect(res.challenge).toBe('Bearer');
    expect(res.body).toEqual({
      data: null,
      errors: [
        expect.objectContaining({
          message: 'Query.apiKeys needs an API key with the admin scope.',
          extensions: { code: 'UNAUTHENTICATED' },
        }),
      ],
    });
  });

  it('with a read or write key: FORBIDDEN (403), naming the scope needed', async () => {
    for (const scope of ['read', 'write'] as const) {
      const res = await gql(KEYS, keys[scope].key);
      expect(res.status, scope).toBe(403);
      expect(res.challenge).toBe('Bearer error="insufficient_scope", scope="admin"');
      expect(codeOf(res.body)).toBe('FORBIDDEN');
      expect(res.body.errors?.[0]?.message).toBe(
        `Query.apiKeys needs an API key with the admin scope; this key has ${scope}.`,
      );
      expect(res.body.data).toBeNull();
    }
  });

  it('with a revoked admin key: UNAUTHENTICATED', async () => {
    const res = await gql(KEYS, keys.revoked.key);
    expect(res.status).toBe(401);
    expect(codeOf(res.body)).toBe('UNAUTHENTICATED');
  });

  it('with an admin key: every key, never a hash', async () => {
    const res = await gql(KEYS, keys.admin.key);
    expect(res.status).toBe(200);
    const listed = res.body.data.apiKeys as Record<string, unknown>[];
    expect(listed).toContainEqual({
      id: keys.read.id,
      name: 'auth test reader',
      scope: 'READ',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      revokedAt: null,
    });
    expect(listed.find((k) => k.id === keys.revoked.id)?.revokedAt).toEqual(expect.stringMatching(/Z$/));
  });

  it('beside an open field: refused all the same, and read nothing of the keys', async () => {
    const counting = countingDb(db);
    const res = await client({ db: counting })(
      `{ entity(name: "Xiaomi") { name } apiKeys { id } }`,
      keys.read.key,
    );
    expect(res.status).toBe(403);
    expect(codeOf(res.body)).toBe('FORBIDDEN');
    // apiKeys is non-null, so its refusal takes the whole answer with it.
    expect(res.body.data).toBeNull();
    expect(counting.sent.filter((s) => s.includes('MATCH (k:ApiKey) RETURN'))).toEqual([]);
  });
});

describe('READ_ACCESS=key', () => {
  const gql = client({ readAccess: 'key' });

  it('every query field needs a key: UNAUTHENTICATED without one', async () => {
    for (const query of [READ, '{ node(id: "x") { id } }', '{ stats { entities { count } } }']) {
      const res = await gql(query);
      expect(res.status, query).toBe(401);
      expect(res.challenge).toBe('Bearer');
      expect(codeOf(res.body), query).toBe('UNAUTHENTICATED');
      expect(res.body.errors?.[0]?.message).toMatch(/^Query\.\w+ needs an API key with the read scope\.$/);
    }
  });

  it('introspection needs none', async () => {
    expect(await gql('{ __schema { queryType { name } } }')).toMatchObject({
      status: 200,
      body: { data: { __schema: { queryType: { name: 'Query' } } } },
    });
  });

  it('a key of any scope reads', async () => {
    for (const scope of ['read', 'write', 'admin'] as const) {
      expect(await gql(READ, keys[scope].key), scope).toMatchObject({
        status: 200,
        body: { data: { entity: { name: 'Xiaomi' } } },
      });
    }
  });

  it('still needs admin for apiKeys', async () => {
    expect(codeOf((await gql(KEYS, keys.read.key)).body)).toBe('FORBIDDEN');
  });
});

describe('logs', () => {
  it('never show a key: the access log and the error log', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const failing = {
      onExecute() {
        throw new Error('exploded while executing');
      },
    };
    const gql = client({ logger });
    const broken = client({ logger, plugins: [failing] });
    await gql(READ, keys.read.key);
    await gql(KEYS, keys.write.key);
    await gql(READ, keys.revoked.key);
    await gql(READ, 'mg_malformed');
    expect(codeOf((await broken(READ, keys.admin.key)).body)).toBe('INTERNAL_SERVER_ERROR');
    await new Promise((resolve) => setImmediate(resolve));
    const text = lines.join('');
    expect(lines.filter((l) => l.includes('"msg":"request"'))).toHaveLength(5);
    expect(text).toContain('"status":401');
    expect(text).toContain('"status":403');
    expect(text).toContain('unexpected error');
    expect(text).toContain('exploded while executing');
    for (const k of Object.values(keys)) {
      expect(text).not.toContain(k.key.slice(20));
      expect(text).not.toContain(hashKey(k.key));
    }
    expect(text).not.toContain('mg_malformed');
    expect(text.toLowerCase()).not.toContain('bearer');
  });
});

describe('readiness', () => {
  it('expects the api_key_id constraint, and finds it', async () => {
    expect(expectedSchemaNames()).toContain('api_key_id');
    const res = await testApp({ db }).fetch('http://test/ready');
    expect(await res.json()).toEqual({ ready: true });
  });
});
