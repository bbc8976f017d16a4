import { request as httpRequest } from 'node:http';
import { getIntrospectionQuery, Kind, parse } from 'graphql';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, parseConfig } from '../src/config.js';
import { DEFAULT_QUERY } from '../src/http/examples.js';
import { Db } from '../src/neo4j/driver.js';
import { type Running, start } from '../src/server.js';
import { type AppOptions, testApp } from './support/app.js';
import { countingDb, seededDb, testServerConfig } from './support/db.js';
import { manuals, manualText } from './support/paths.js';

const SECRET = 'neo4j://admin:hunter2@db.internal:7687 exploded';

/** A Db whose every read fails as an unexpected error would. */
class FailingDb extends Db {
  override read<T>(): Promise<T> {
    return Promise.reject(new Error(SECRET));
  }
  override readOne<T>(): Promise<T> {
    return Promise.reject(new Error(SECRET));
  }
}

const db = seededDb();
// A refused request must send no statement at all.
const counting = countingDb(db);
const logged: { requestId: string; error: unknown }[] = [];
const app = (options: Partial<AppOptions> = {}) =>
  testApp({
    db: counting,
    logError: (requestId, error) => logged.push({ requestId, error }),
    ...options,
  });
const dev = app();

interface Answer {
  status: number;
  headers: Headers;
  body: {
    data?: any;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  };
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

/** POSTs a query and counts the statements it sends to Neo4j. */
async function post(
  query: string,
  variables?: Record<string, unknown>,
  { yoga = dev, accept = 'application/graphql-response+json', headers = {} as Record<string, string> } = {},
): Promise<Answer & { statements: number }> {
  counting.statements = 0;
  const res = await yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const a = await answer(res);
  return { ...a, statements: counting.statements };
}

const codes = (a: Answer) => a.body.errors?.map((e) => e.extensions?.code);

/** `levels` times competesWith → edges → node under a company: three levels of depth each. */
function nested(levels: number): string {
  let selection = 'name';
  for (let i = 0; i < levels; i++) selection = `competesWith { edges { node { ${selection} } } }`;
  return `{ entity(name: "Xiaomi") { ... on Company { ${selection} } } }`;
}

const aliases = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: entity(name: "Xiaomi") { name }`).join(' ')} }`;

beforeEach(() => {
  logged.length = 0;
});
// Nothing here is an unexpected error, except the one test that forces one (and clears it).
afterEach(() => {
  expect(logged).toEqual([]);
});

describe('the shape of a query', () => {
  it('refuses 20 levels of nesting as QUERY_TOO_DEEP, 400, before reading anything', async () => {
    const a = await post(nested(20));
    expect(a.status).toBe(400);
    expect(codes(a)).toEqual(['QUERY_TOO_DEEP']);
    expect(a.body.errors?.[0]?.message).toBe('Query depth 62 exceeds the limit of 10.');
    expect(a.body.data).toBeUndefined();
    expect(a.statements).toBe(0);
  });

  it('answers 200 with the same error to a client that only accepts application/json (legacy)', async () => {
    const a = await post(nested(20), undefined, { accept: 'application/json' });
    expect(a.status).toBe(200);
    expect(codes(a)).toEqual(['QUERY_TOO_DEEP']);
  });

  it('counts depth through fragments', async () => {
    const a = await post(`
      { entity(name: "Xiaomi") { ...C } }
      fragment C on Company { competesWith { edges { node { ...D } } } }
      fragment D on Company { competedBy { edges { node { ...E } } } }
      fragment E on Company { competesWith { edges { node { ...F } } } }
      fragment F on Company { competedBy { edges { node { name } } } }`);
    expect(codes(a)).toEqual(['QUERY_TOO_DEEP']);
    expect(a.statements).toBe(0);
  });

  it('takes depth 10 and refuses 11', async () => {
    const at = (leaf: string) =>
      `{ entity(name: "Xiaomi") { ... on Company { competesWith { edges { node { competesWith { edges { node { competesWith { edges { ${leaf} } } } } } } } } } } }`;
    const ten = await post(at('cursor'));
    expect(ten.status).toBe(200);
    expect(ten.body.errors).toBeUndefined();
    const eleven = await post(at('node { name }'));
    expect(eleven.body.errors?.[0]?.message).toBe('Query depth 11 exceeds the limit of 10.');
  });

  it('refuses 1000 aliases: past the token limit first, and TOO_MANY_ALIASES when tokens allow', async () => {
    const tooLarge = await post(aliases(1000));
    expect(tooLarge.status).toBe(400);
    expect(codes(tooLarge)).toEqual(['QUERY_TOO_LARGE']);
    expect(tooLarge.statements).toBe(0);

    const roomy = app({ limits: { ...DEFAULT_LIMITS, maxTokens: 100_000 } });
    const tooMany = await post(aliases(1000), undefined, { yoga: roomy });
    expect(tooMany.status).toBe(400);
    expect(codes(tooMany)).toEqual(['TOO_MANY_ALIASES']);
    expect(tooMany.body.errors?.[0]?.message).toBe('Query uses 1000 aliases; the limit is 30.');
    expect(tooMany.statements).toBe(0);
  });

  it('takes 30 aliases and refuses 31', async () => {
    expect((await post(aliases(30))).body.errors).toBeUndefined();
    expect(codes(await post(aliases(31)))).toEqual(['TOO_MANY_ALIASES']);
  });

  it('counts aliases of introspection fields too', async () => {
    const typenames = `{ ${Array.from({ length: 31 }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    expect(codes(await post(typenames))).toEqual(['TOO_MANY_ALIASES']);
    const schemas = `{ __schema { ${Array.from({ length: 31 }, (_, i) => `t${i}: types { name }`).join(' ')} } }`;
    expect(codes(await post(schemas))).toEqual(['TOO_MANY_ALIASES']);
  });

  it('refuses 100 directives as TOO_MANY_DIRECTIVES', async () => {
    const fields = Array.from({ length: 100 }, () => 'name @include(if: true)').join(' ');
    const a = await post(`{ entity(name: "Xiaomi") { ${fields} } }`);
    expect(a.status).toBe(400);
    expect(codes(a)).toEqual(['TOO_MANY_DIRECTIVES']);
    expect(a.body.errors?.[0]?.message).toBe('Query uses 100 directives; the limit is 20.');
    expect(a.statements).toBe(0);
  });

  it('counts directives on fragments and on introspection fields too', async () => {
    const inline = Array.from({ length: 21 }, () => '... @include(if: true) { name }').join(' ');
    expect(codes(await post(`{ entity(name: "Xiaomi") { ${inline} } }`))).toEqual(['TOO_MANY_DIRECTIVES']);
    const spreads = Array.from({ length: 21 }, () => '...N @skip(if: false)').join(' ');
    expect(
      codes(await post(`{ entity(name: "Xiaomi") { ${spreads} } } fragment N on Entity { name }`)),
    ).toEqual(['TOO_MANY_DIRECTIVES']);
    const typenames = Array.from({ length: 21 }, () => '__typename @include(if: true)').join(' ');
    expect(codes(await post(`{ ${typenames} }`))).toEqual(['TOO_MANY_DIRECTIVES']);
  });

  it('refuses a query over the token limit as QUERY_TOO_LARGE, 400 (200 for application/json)', async () => {
    const query = `{ entity(name: "Xiaomi") { ${'name '.repeat(2100)} } }`;
    for (const [accept, status] of [
      ['application/graphql-response+json', 400],
      ['application/json', 200],
    ] as const) {
      const a = await post(query, undefined, { accept });
      expect(a.status).toBe(status);
      expect(a.body.errors).toEqual([
        { message: 'Query has more than 2000 tokens.', extensions: { code: 'QUERY_TOO_LARGE' } },
      ]);
      expect(a.statements).toBe(0);
    }
  });

  it('works out a fragment spread many times once: 26 fragments each spreading the next twice', async () => {
    // Inlined afresh at every spread, that is 2^26 fragments to walk for each limit: minutes of a blocked
    // event loop for a few hundred tokens, and this test times out.
    const chain = (last: string) =>
      `query { ...F0 } ${Array.from({ length: 26 }, (_, i) =>
        i < 25
          ? `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`
          : `fragment F${i} on Query { ${last} }`,
      ).join(' ')}`;
    const plain = await post(chain('__typename'));
    expect(plain.body).toEqual({ data: { __typename: 'Query' } });
    // Each alias counts once per path to it: 2^25 of them.
    expect(codes(await post(chain('t: __typename')))).toEqual(['TOO_MANY_ALIASES']);
    expect(codes(await post(chain('stats { entities { count } }')))).toEqual(['QUERY_TOO_COSTLY']);
  });
});

describe('list sizes', () => {
  it('refuses first: 1000000 as BAD_USER_INPUT naming first, before reading anything', async () => {
    const a = await post('{ companies(first: 1000000) { edges { node { name } } } }');
    expect(a.body.errors).toEqual([
      expect.objectContaining({
        message: 'first must be between 0 and 100, got 1000000.',
        path: ['companies'],
        extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
      }),
    ]);
    expect(a.statements).toBe(0);
    const v = await post('query($n: Int) { companies(first: $n) { totalCount } }', { n: 1_000_000 });
    expect(v.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'first' });
  });

  it('refuses first beyond 32 bits (2^53, 1e308) as a bad variable, 400', async () => {
    for (const n of [2 ** 53, 1e308]) {
      const a = await post('query($n: Int) { companies(first: $n) { totalCount } }', { n });
      expect(a.status).toBe(400);
      expect(codes(a)).toEqual(['BAD_USER_INPUT']);
      expect(a.body.errors?.[0]?.message).toMatch(/^Variable "\$n" got invalid value/);
      expect(a.statements).toBe(0);
    }
  });

  const exploding =
    '{ companies(first: 100) { edges { node { competesWith(first: 100) { edges { node { competesWith(first: 100) { edges { node { name } } } } } } } } } }';

  it('refuses first: 100 at three nested levels as QUERY_TOO_COSTLY, 400, before reading anything', async () => {
    const a = await post(exploding);
    expect(a.status).toBe(400);
    expect(codes(a)).toEqual(['QUERY_TOO_COSTLY']);
    expect(a.body.errors?.[0]?.message).toMatch(/^Query cost \d+ exceeds the limit of 50000/);
    expect(a.statements).toBe(0);
  });

  it('refuses the same sizes given through variables, or as the variables’ defaults', async () => {
    const query = (decl: string) =>
      `query(${decl}) { companies(first: $a) { edges { node { competesWith(first: $b) { edges { node { competesWith(first: $c) { edges { node { name } } } } } } } } } }`;
    const given = await post(query('$a: Int, $b: Int, $c: Int'), { a: 100, b: 100, c: 100 });
    expect(codes(given)).toEqual(['QUERY_TOO_COSTLY']);
    expect(given.statements).toBe(0);
    const defaults = await post(query('$a: Int = 100, $b: Int = 100, $c: Int = 100'));
    expect(codes(defaults)).toEqual(['QUERY_TOO_COSTLY']);
    expect(defaults.statements).toBe(0);
  });

  it('does not let a negative size cancel out the cost of a sibling', async () => {
    const negative = exploding.replace('{ companies(first: 100)', '{ b: companies(first: -100)');
    const a = await post(`{ a: ${exploding.slice(2, -2)} ${negative.slice(2, -2)} }`);
    expect(codes(a)).toEqual(['QUERY_TOO_COSTLY']);
    expect(a.statements).toBe(0);
  });

  it('counts nodes(ids:) as one item per id, however many come through a variable', async () => {
    const ids = Array.from({ length: 2000 }, (_, i) =>
      Buffer.from(`Company:company:c${i}`).toString('base64'),
    );
    const a = await post(
      'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Company { competesWith(first: 50) { edges { node { name } } } } } }',
      { ids },
    );
    expect(codes(a)).toEqual(['QUERY_TOO_COSTLY']);
    expect(a.statements).toBe(0);
  });
});

describe('the size of a request', () => {
  const TEN_MB = 10 * 1024 * 1024;
  const bigBody = () =>
    JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(TEN_MB) } });

  it('refuses a 10 MB body with a content-length as PAYLOAD_TOO_LARGE, 413', async () => {
    const body = bigBody();
    const res = await dev.fetch('http://test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        accept: 'application/graphql-response+json',
      },
      body,
    });
    const a = await answer(res);
    expect(a.status).toBe(413);
    expect(a.body.errors).toEqual([
      { message: 'Request body exceeds 100000 bytes.', extensions: { code: 'PAYLOAD_TOO_LARGE' } },
    ]);
  });

  /** Streams `total` bytes of a JSON body in 65 kB chunks, counting the chunks the app pulled. */
  async function chunked(total: number) {
    const chunk = new TextEncoder().encode(
      `{"query": "{ __typename }", "variables": {"p": "${'x'.repeat(65_000)}`,
    );
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled * chunk.length > total) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await dev.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    return { ...(await answer(res)), pulled, chunks: Math.ceil(total / chunk.length) };
  }

  it('refuses a 10 MB chunked body (no content-length) the same way, reading the rest only to drop it', async () => {
    const a = await chunked(TEN_MB);
    expect(a.status).toBe(413);
    expect(codes(a)).toEqual(['PAYLOAD_TOO_LARGE']);
    // Read to its end (so a client that writes it all before reading sees the 413), nothing kept.
    expect(a.pulled).toBeGreaterThanOrEqual(a.chunks);
  });

  it('stops reading a refused chunked body at 16 MB', async () => {
    const a = await chunked(4 * TEN_MB);
    expect(a.status).toBe(413);
    expect(codes(a)).toEqual(['PAYLOAD_TOO_LARGE']);
    // 16 MiB is 259 chunks; a few more may be buffered ahead, nowhere near the 646 of 40 MB.
    expect(a.pulled).toBeLessThan(300);
  });

  describe('through a real server', () => {
    let running: Running;
    beforeAll(async () => {
      running = await start(testServerConfig(), () => {});
    });
    afterAll(() => running.close());

    /** POSTs `head` then filler with transfer-encoding: chunked until the server answers or 10 MB are sent. */
    function postChunked(contentType: string, head: string): Promise<{ status: number; body: string }> {
      return new Promise((resolve, reject) => {
        const req = httpRequest(running.url, {
          method: 'POST',
          headers: {
            'content-type': contentType,
            'transfer-encoding': 'chunked',
            accept: 'application/graphql-response+json',
          },
        });
        let answered = false;
        req.on('response', (res) => {
          answered = true;
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            body += c;
          });
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body });
            req.destroy();
          });
        });
        // The server may close the connection while the client is still sending: the answer is what counts.
        req.on('error', (err) => {
          if (!answered) reject(err);
        });
        const filler = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = () => {
          while (!answered && !req.destroyed && sent < TEN_MB) {
            const more = req.write(sent === 0 ? head : filler);
            sent += sent === 0 ? head.length : filler.length;
            if (!more) {
              req.once('drain', pump);
              return;
            }
          }
          if (!answered && !req.destroyed) req.end();
        };
        pump();
      });
    }

    it.each([
      ['application/json', '{"query": "{ __typename }", "variables": {"p": "'],
      ['application/graphql', '{ __typename } # '],
      ['application/x-www-form-urlencoded', 'query=%7B__typename%7D&p='],
    ])('refuses a chunked 10 MB %s body as PAYLOAD_TOO_LARGE, 413', async (contentType, head) => {
      const { status, body } = await postChunked(contentType, head);
      expect(status).toBe(413);
      expect(JSON.parse(body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });
});

describe('batching', () => {
  const batch = JSON.stringify([
    { query: '{ entity(name: "Xiaomi") { name } }' },
    { query: '{ entity(name: "han quoc") { name } }' },
  ]);
  const send = (yoga: ReturnType<typeof app>, body: string) =>
    yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body,
    });

  it('is off by default (BATCH_LIMIT 0): a JSON array is refused, 400', async () => {
    const config = parseConfig({});
    expect(config.batchLimit).toBe(0);
    counting.statements = 0;
    const a = await answer(await send(app({ batchLimit: config.batchLimit }), batch));
    expect(a.status).toBe(400);
    expect(a.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(counting.statements).toBe(0);
  });

  it('answers each operation with batchLimit: 2, and refuses a third', async () => {
    const yoga = app({ batchLimit: 2 });
    const res = await send(yoga, batch);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { data: { entity: { name: 'Xiaomi' } } },
      { data: { entity: { name: 'South Korea' } } },
    ]);
    const three = JSON.parse(batch) as unknown[];
    three.push({ query: '{ __typename }' });
    const refused = await send(yoga, JSON.stringify(three));
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
  });
});

describe('a production-like app (no introspection, no GraphiQL)', () => {
  const production = app({ introspection: false, graphiql: false });

  it('refuses introspection', async () => {
    for (const query of [
      '{ __schema { types { name } } }',
      '{ __type(name: "Company") { fields { name } } }',
    ]) {
      const a = await post(query, undefined, { yoga: production });
      expect(a.status).toBe(400);
      expect(a.body.data).toBeUndefined();
      expect(a.body.errors?.[0]?.message).toMatch(/introspection has been disabled/);
      expect(a.statements).toBe(0);
    }
  });

  it('still answers __typename', async () => {
    const a = await post('{ __typename }', undefined, { yoga: production });
    expect(a.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('does not suggest field names for a misspelt field', async () => {
    const query = '{ entity(name: "Xiaomi") { nam } distributors(brnd: "Xiaomi", market: "Korea") { name } }';
    const devAnswer = await post(query);
    expect(JSON.stringify(devAnswer.body)).toContain('Did you mean');
    const a = await post(query, undefined, { yoga: production });
    expect(a.status).toBe(400);
    expect(a.body.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(a.body)).not.toContain('Did you mean');
    expect(a.body.errors?.[0]?.message).toBe('Cannot query field "nam" on type "Entity".');
  });

  it('does not serve GraphiQL', async () => {
    const res = await production.fetch('http://test/graphql', { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await res.text()).not.toContain('graphiql');
    const devPage = await dev.fetch('http://test/graphql', { headers: { accept: 'text/html' } });
    expect(devPage.headers.get('content-type')).toContain('text/html');
  });

  it('still answers GraphiQL’s introspection query in development, under every limit', async () => {
    const a = await post(getIntrospectionQuery());
    expect(a.status).toBe(200);
    expect(a.body.errors).toBeUndefined();
    expect(a.body.data.__schema.queryType.name).toBe('Query');
  });
});

describe('CORS', () => {
  const preflight = (yoga: ReturnType<typeof app>, origin: string) =>
    yoga.fetch('http://test/graphql', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
  /** What a browser checks: the allowed origin must be the page's own (or *). */
  const allows = (res: Response, origin: string) => {
    const allowed = res.headers.get('access-control-allow-origin');
    return res.status < 300 && (allowed === origin || allowed === '*');
  };

  it('with a list, allows a listed origin and no other', async () => {
    for (const list of [['https://app.example'], ['https://app.example', 'https://admin.example']]) {
      const yoga = app({ corsOrigins: list });
      const ok = await preflight(yoga, 'https://app.example');
      expect(allows(ok, 'https://app.example')).toBe(true);
      expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
      expect(allows(await preflight(yoga, 'https://evil.example'), 'https://evil.example')).toBe(false);
    }
  });

  it('with *, allows any origin', async () => {
    const yoga = app({ corsOrigins: '*' });
    for (const origin of ['https://app.example', 'https://evil.example', 'http://localhost:3000']) {
      expect(allows(await preflight(yoga, origin), origin)).toBe(true);
    }
  });

  it('with none (production without CORS_ORIGINS), allows no origin', async () => {
    const config = parseConfig({ NODE_ENV: 'production' });
    const yoga = app({ corsOrigins: config.corsOrigins });
    expect(allows(await preflight(yoga, 'https://app.example'), 'https://app.example')).toBe(false);
  });
});

describe('request ids and unexpected errors', () => {
  it('echoes a valid x-request-id, and replaces one that is not', async () => {
    const given = await post('{ __typename }', undefined, { headers: { 'x-request-id': 'req-42.a:b' } });
    expect(given.headers.get('x-request-id')).toBe('req-42.a:b');
    for (const bad of [
      'has spaces',
      'x'.repeat(101),
      '<script>',
      'a\r\nset-cookie: x'.replace(/\r\n/, '%0d%0a'),
    ]) {
      const a = await post('{ __typename }', undefined, { headers: { 'x-request-id': bad } });
      expect(a.headers.get('x-request-id')).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    }
    const none = await post('{ __typename }');
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('masks an unexpected error as INTERNAL_SERVER_ERROR with the request id, and logs the original', async () => {
    const failing = testApp({
      db: new FailingDb(db.driver, db.database, db.txTimeoutMs),
      graphiql: false,
      logError: (requestId, error) => logged.push({ requestId, error }),
    });
    for (const given of [undefined, 'trace-7']) {
      logged.length = 0;
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
      };
      if (given) headers['x-request-id'] = given;
      const res = await failing.fetch('http://test/graphql', {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: '{ entity(name: "Xiaomi") { name } }' }),
      });
      const text = await res.text();
      const requestId = res.headers.get('x-request-id');
      expect(requestId).toBeTruthy();
      if (given) expect(requestId).toBe(given);
      expect(JSON.parse(text)).toEqual({
        data: { entity: null },
        errors: [
          {
            message: 'Unexpected error.',
            locations: [{ line: 1, column: 3 }],
            path: ['entity'],
            extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
          },
        ],
      });
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('exploded');
      expect(logged).toEqual([{ requestId, error: new Error(SECRET) }]);
    }
    logged.length = 0;
  });
});

describe('legitimate queries stay under every limit', () => {
  // The README's examples and the reference's (docs/*.md).
  const examples = manuals.flatMap((file) =>
    [...manualText(file).matchAll(/```graphql\n([\s\S]*?)```/g)].map(
      (m, i) => [`${file} example ${i + 1}`, m[1] ?? ''] as const,
    ),
  );
  const LIMIT_CODES = [
    'QUERY_TOO_DEEP',
    'TOO_MANY_ALIASES',
    'TOO_MANY_DIRECTIVES',
    'QUERY_TOO_LARGE',
    'QUERY_TOO_COSTLY',
    'PAYLOAD_TOO_LARGE',
  ];

  it('has the README’s and docs’ examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  // GraphiQL opens with several saved operations; it runs one at a time, by name.
  const saved = parse(DEFAULT_QUERY).definitions.flatMap((d) =>
    d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : [],
  );

  it('has GraphiQL’s saved queries to check', () => {
    expect(saved.length).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ...examples.map(([name, q]) => [name, q, undefined] as const),
    ...saved.map((name) => [`GraphiQL’s ${name}`, DEFAULT_QUERY, name] as const),
    [
      'a full page of companies with their competitors',
      '{ companies(first: 100) { totalCount edges { cursor node { name aliases competesWith(first: 20) { totalCount edges { status node { name } } } } } } }',
      undefined,
    ] as const,
    [
      'a full page of products with their distributors, markets and quotes',
      '{ products(first: 100) { edges { node { name distributedBy(first: 10) { edges { node { name } market { name } evidence { quote } } } } } } }',
      undefined,
    ] as const,
  ])('%s', async (_name, query, operationName) => {
    const production = app({ introspection: false, graphiql: false });
    const res = await production.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, operationName }),
    });
    const a = await answer(res);
    const refused = (a.body.errors ?? []).filter((e) => LIMIT_CODES.includes(String(e.extensions?.code)));
    expect(refused).toEqual([]);
    // It ran: the answer has data (null for the README's example of an error).
    expect(a.status).toBe(200);
    expect('data' in a.body).toBe(true);
    expect(logged).toEqual([]);
  });
});
