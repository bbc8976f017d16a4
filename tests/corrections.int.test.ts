import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldName } from '../src/graph/names.js';
import { graphSnapshot, keepsGraph, removeEntities, seededDb } from './support/db.js';
import { type GqlResponse, gqlClient } from './support/graphql.js';
import { type TestKey, testKeys } from './support/keys.js';

/**
 * The corrections, end to end through GraphQL on the real Neo4j: addFact, retractFact, mergeEntities and
 * withdrawArticle, what reads see after each, every expected refusal (a clear error naming what was wrong, and
 * the graph unchanged), the scopes, and the log of Changes. The entities and the two articles are this file's
 * own (ids with `cor-`), written with Cypher beside the seed graph and unconnected to it; both articles are
 * fictional, written for these tests.
 */

const db = seededDb();
// Registered first, so it compares the graph before this file's fixtures with the graph after their removal.
keepsGraph(db);
const logged: unknown[] = [];
const gql = gqlClient(db, logged);
const makeKey = testKeys(db);
const OWN = ['company:cor-', 'product:cor-', 'market:cor-', 'article:cor-'];

const NEWS = 'article:cor-news';
const NEWS_TEXT =
  'This article is fictional, written for the tests. Cor Brand makes the Cor Phone. ' +
  'Cor Seller distributes the Cor Phone in Corland. Cor Seller Ltd distributes the Cor Phone in Corland too. ' +
  'In Cor Land, Cor Seller also carries the Cor Phone. Cor Rival competes with Cor Brand. ' +
  'The Cor Phone is sold in Corland. The Cor Phone is sold in Corland.';
const SECOND = 'article:cor-second';
const SECOND_TEXT =
  'A second fictional report, written for the tests. Cor Rival competes with Cor Brand, it says. ' +
  'Cor Rival is present in Corland.';

const ENTITIES = [
  { id: 'company:cor-brand', kind: 'Company', name: 'Cor Brand' },
  { id: 'company:cor-seller', kind: 'Company', name: 'Cor Seller' },
  {
    id: 'company:cor-seller-ltd',
    kind: 'Company',
    name: 'Cor Seller Ltd',
    nameVi: 'Công ty Cor Seller',
    aliases: ['CSL'],
    description: 'A distributor of Cor phones.',
  },
  { id: 'company:cor-rival', kind: 'Company', name: 'Cor Rival' },
  { id: 'company:cor-twin-a', kind: 'Company', name: 'Cor Twin Alpha', aliases: ['Cor Twin'] },
  { id: 'company:cor-twin-b', kind: 'Company', name: 'Cor Twin Beta', aliases: ['Cor Twin'] },
  { id: 'product:cor-phone', kind: 'Product', name: 'Cor Phone', category: 'smartphone' },
  { id: 'market:cor-land', kind: 'Market', name: 'Corland' },
  { id: 'market:cor-land-2', kind: 'Market', name: 'Cor Land', countryCode: 'CL' },
  { id: 'company:cor-dup-a', kind: 'Company', name: 'Cor Dup Alpha' },
  { id: 'company:cor-dup-b', kind: 'Company', name: 'Cor Dup Beta' },
  { id: 'company:cor-dup-c', kind: 'Company', name: 'Cor Dup Gamma' },
];

/** Evidence lists for a quote of an article, the way older data stored them (no prefixes or suffixes). */
function oldEvidence(text: string, article: string, quote: string, status: string) {
  const start = text.indexOf(quote);
  if (start < 0) throw new Error(`not in the text: ${quote}`);
  return {
    evidenceQuotes: [quote],
    evidenceStarts: [start],
    evidenceEnds: [start + quote.length],
    evidenceStatuses: [status],
    evidenceArticles: [article],
  };
}

beforeAll(async () => {
  await removeEntities(db, OWN);
  await db.write(async (tx) => {
    const rows = [
      ...ENTITIES.map(({ id, kind, name, nameVi, aliases, description, ...props }) => ({
        id,
        kind,
        props: {
          kind,
          name,
          nameVi: nameVi ?? null,
          aliases: aliases ?? [],
          description: description ?? null,
          sortName: foldName(name),
          ...props,
        },
        keys: [...new Set([name, nameVi, ...(aliases ?? [])].filter((s): s is string => !!s).map(foldName))],
      })),
      ...(
        [
          [NEWS, 'Cor news', NEWS_TEXT],
          [SECOND, 'Cor second report', SECOND_TEXT],
        ] as const
      ).map(([id, title, text]) => ({
        id,
        kind: 'Article',
        props: {
          kind: 'Article',
          name: title,
          title,
          text,
          language: 'en',
          aliases: [],
          sortName: foldName(title),
        },
        keys: [foldName(title)],
      })),
    ];
    await tx.run(
      `UNWIND $rows AS row
       CREATE (n:Entity {id: row.id}) SET n:$(row.kind), n += row.props
       WITH n, row UNWIND row.keys AS key
       MERGE (k:NameKey {key: key}) MERGE (k)-[:NAMES]->(n)`,
      { rows },
    );
    // What the merges move: the duplicate seller's own DISTRIBUTES and its mention, and a DISTRIBUTES in the
    // duplicate market (stored as older data was, without prefixes and suffixes).
    const rels = [
      {
        type: 'DISTRIBUTES',
        from: 'company:cor-seller-ltd',
        to: 'product:cor-phone',
        market: 'market:cor-land',
        props: oldEvidence(
          NEWS_TEXT,
          NEWS,
          'Cor Seller Ltd distributes the Cor Phone in Corland too',
          'stated',
        ),
      },
      {
        type: 'DISTRIBUTES',
        from: 'company:cor-seller',
        to: 'product:cor-phone',
        market: 'market:cor-land-2',
        props: oldEvidence(NEWS_TEXT, NEWS, 'In Cor Land, Cor Seller also carries the Cor Phone', 'reported'),
      },
      {
        type: 'MENTIONS',
        from: NEWS,
        to: 'company:cor-seller-ltd',
        market: null,
        props: oldEvidence(NEWS_TEXT, NEWS, 'Cor Seller Ltd', 'stated'),
      },
      // The twins each compete with the brand, one of them retracted: merged, they would be one fact.
      {
        type: 'COMPETES_WITH',
        from: 'company:cor-twin-a',
        to: 'company:cor-brand',
        market: null,
        props: {
          ...oldEvidence(NEWS_TEXT, NEWS, 'Cor Rival competes with Cor Brand', 'stated'),
          status: 'retracted',
          retractedAt: '2025-01-01T00:00:00.000Z',
          retractedBy: null,
          retractedByName: 'command line',
          retractedReason: 'Not the twin.',
        },
      },
      {
        type: 'COMPETES_WITH',
        from: 'company:cor-twin-b',
        to: 'company:cor-brand',
        market: null,
        props: oldEvidence(NEWS_TEXT, NEWS, 'Cor Rival competes with Cor Brand', 'stated'),
      },
    ].map((r) => ({
      ...r,
      props: {
        status: r.props.evidenceStatuses[0],
        ...r.props,
        id: [r.from, r.type, r.to, ...(r.market ? [r.market] : [])].join('|'),
        market: r.market,
      },
    }));
    await tx.run(
      `UNWIND $rels AS rel
       MATCH (a:Entity {id: rel.from}), (b:Entity {id: rel.to})
       CREATE (a)-[r:$(rel.type)]->(b) SET r = rel.props`,
      { rels },
    );
  });
});

afterAll(async () => {
  await removeEntities(db, OWN);
  await db.write((tx) =>
    tx.run('MATCH (r:Redirect) WHERE any(p IN $prefixes WHERE r.id STARTS WITH p) DETACH DELETE r', {
      prefixes: OWN,
    }),
  );
});

const keys: Record<'write' | 'read' | 'admin' | 'revoked', TestKey> = {} as Record<
  'write' | 'read' | 'admin' | 'revoked',
  TestKey
>;
beforeAll(async () => {
  keys.write = await makeKey('write', 'corrections writer');
  keys.read = await makeKey('read', 'corrections reader');
  keys.admin = await makeKey('admin', 'corrections admin');
  keys.revoked = await makeKey('write', 'corrections revoked', true);
});

const bearer = (k: TestKey) => ({ authorization: `Bearer ${k.key}` });

const CHANGE = 'change { id at mutation keyId keyName touched counts { name value } reason }';
const FACT = `fact {
  id type status from { key } to { key } market { key }
  evidence { quote start end status prefix suffix article { key } }
  retraction { at keyId by reason }
}`;
const ADD = `mutation Add($input: AddFactInput!) { addFact(input: $input) { created changed ${FACT} ${CHANGE} } }`;
const RETRACT = `mutation Retract($id: ID!, $reason: String!) { retractFact(id: $id, reason: $reason) { ${FACT} ${CHANGE} } }`;
const MERGE = `mutation Merge($keep: String!, $merge: String!) {
  mergeEntities(keep: $keep, merge: $merge) {
    entity { key name aliases description ... on Market { countryCode } }
    mergedId moved { from to } combined aliasesAdded ${CHANGE}
  }
}`;
const WITHDRAW = `mutation Withdraw($id: ID!, $reason: String!) {
  withdrawArticle(id: $id, reason: $reason) {
    article { key withdrawal { at keyId by reason } } retracted kept ${CHANGE}
  }
}`;

/** A mutation with the write key; its data, failing the test on any error. */
async function write<T = Record<string, any>>(query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await gql<T>(query, variables, bearer(keys.write));
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data as T;
}

/** Both halves of a refusal: the error (its code, the argument it names) and the graph as it was. */
async function refused(
  query: string,
  variables: Record<string, unknown>,
  code: string,
  argument: string | null,
  headers: Record<string, string> = bearer(keys.write),
) {
  const before = await graphSnapshot(db);
  const res = await gql(query, variables, headers);
  const [error] = res.body.errors ?? [];
  expect(error, JSON.stringify(res.body)).toBeDefined();
  expect(error?.extensions?.code, error?.message).toBe(code);
  if (argument !== null) expect(error?.extensions?.argument, error?.message).toBe(argument);
  expect(res.body.data?.[Object.keys(res.body.data ?? {})[0] ?? ''] ?? null).toBeNull();
  expect(await graphSnapshot(db), 'the graph after a refused write').toEqual(before);
  return { error: error as { message: string; extensions: Record<string, unknown> }, status: res.status };
}

/** The relationships of one type and direction an entity has, as a read sees them. */
async function relations(name: string, field: string, includeRetracted = false) {
  const res = await gql(
    `query R($name: String!, $inc: Boolean) {
      entity(name: $name) {
        key
        ... on Company { ${field}(first: 50, includeRetracted: $inc) { edges { id status node { key } evidence { quote article { key } } retraction { reason } } } }
      }
    }`,
    { name, inc: includeRetracted },
  );
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data?.entity?.[field]?.edges as {
    id: string;
    status: string;
    node: { key: string };
    evidence: { quote: string; article: { key: string } }[];
    retraction: { reason: string } | null;
  }[];
}

const counts = (change: { counts: { name: string; value: number }[] }) =>
  Object.fromEntries(change.counts.map((c) => [c.name, c.value]));

const MANUFACTURES = 'company:cor-brand|MANUFACTURES|product:cor-phone';
const addManufactures = {
  type: 'MANUFACTURES',
  from: 'Cor Brand',
  to: 'product:cor-phone',
  article: NEWS,
  quote: 'Cor Brand makes the Cor Phone',
  status: 'STATED',
};

describe('addFact', () => {
  it('adds a fact by quote, names or ids for its ends, anchored in the stored text, with its Change', async () => {
    const data = await write(ADD, { input: addManufactures });
    const r = data.addFact;
    const start = NEWS_TEXT.indexOf('Cor Brand makes');
    expect(r.created).toBe(true);
    expect(r.changed).toBe(true);
    expect(r.fact).toEqual({
      id: MANUFACTURES,
      type: 'MANUFACTURES',
      status: 'STATED',
      from: { key: 'company:cor-brand' },
      to: { key: 'product:cor-phone' },
      market: null,
      evidence: [
        {
          quote: 'Cor Brand makes the Cor Phone',
          start,
          end: start + 'Cor Brand makes the Cor Phone'.length,
          status: 'STATED',
          prefix: NEWS_TEXT.slice(start - 32, start),
          suffix: NEWS_TEXT.slice(start + 29, start + 29 + 32),
          article: { key: NEWS },
        },
      ],
      retraction: null,
    });
    expect(r.change).toMatchObject({
      mutation: 'addFact',
      keyId: keys.write.id,
      keyName: 'corrections writer',
      reason: null,
    });
    expect(r.change.touched).toContain(MANUFACTURES);
    expect(counts(r.change)).toMatchObject({ factsCreated: 1, evidenceAdded: 1 });

    // Reads see it, both ways, and the article now mentions both ends.
    const made = await relations('Cor Brand', 'manufactures');
    expect(made.map((e) => [e.id, e.status, e.node.key])).toEqual([
      [MANUFACTURES, 'STATED', 'product:cor-phone'],
    ]);
    const article = await gql(
      'query A($id: ID!) { node(id: $id) { ... on Article { mentions(first: 50) { edges { node { key } } } } } }',
      { id: encodeGlobalID('Article', NEWS) },
    );
    const mentioned = article.body.data?.node.mentions.edges.map(
      (e: { node: { key: string } }) => e.node.key,
    );
    expect(mentioned).toEqual(expect.arrayContaining(['company:cor-brand', 'product:cor-phone']));
  });

  it('changes nothing when the same evidence is added again (no Change either)', async () => {
    const before = await graphSnapshot(db);
    const data = await write(ADD, { input: addManufactures });
    expect(data.addFact).toMatchObject({ created: false, changed: false, change: null });
    expect(data.addFact.fact.evidence).toHaveLength(1);
    expect(await graphSnapshot(db)).toEqual(before);
  });

  it('adds evidence from another article to the same fact; its status is the strongest', async () => {
    const data = await write(ADD, {
      input: {
        type: 'COMPETES_WITH',
        from: 'company:cor-rival',
        to: 'Cor Brand',
        article: NEWS,
        quote: 'Cor Rival competes with Cor Brand',
        status: 'REPORTED',
      },
    });
    expect(data.addFact.fact.status).toBe('REPORTED');
    const again = await write(ADD, {
      input: {
        type: 'COMPETES_WITH',
        from: 'Cor Rival',
        to: 'company:cor-brand',
        article: SECOND,
        quote: 'Cor Rival competes with Cor Brand',
        status: 'CONFIRMED',
      },
    });
    expect(again.addFact).toMatchObject({ created: false, changed: true });
    expect(again.addFact.fact.status).toBe('CONFIRMED');
    expect(
      again.addFact.fact.evidence.map((e: { article: { key: string }; status: string }) => [
        e.article.key,
        e.status,
      ]),
    ).toEqual([
      [NEWS, 'REPORTED'],
      [SECOND, 'CONFIRMED'],
    ]);
    const only = await write(ADD, {
      input: {
        type: 'PRESENT_IN',
        from: 'Cor Rival',
        to: 'Corland',
        article: SECOND,
        quote: 'Cor Rival is present in Corland',
        status: 'STATED',
      },
    });
    expect(only.addFact.fact.id).toBe('company:cor-rival|PRESENT_IN|market:cor-land');
  });

  it('takes a market for DISTRIBUTES (in the id), and offsets to choose among occurrences', async () => {
    const data = await write(ADD, {
      input: {
        type: 'DISTRIBUTES',
        from: 'Cor Seller',
        to: 'Cor Phone',
        market: 'corland',
        article: NEWS,
        quote: 'Cor Seller distributes the Cor Phone in Corland',
        status: 'STATED',
      },
    });
    expect(data.addFact.fact).toMatchObject({
      id: 'company:cor-seller|DISTRIBUTES|product:cor-phone|market:cor-land',
      market: { key: 'market:cor-land' },
    });
    const quote = 'The Cor Phone is sold in Corland';
    const second = NEWS_TEXT.lastIndexOf(quote);
    const sold = await write(ADD, {
      input: {
        type: 'SELLS_IN',
        from: 'Cor Phone',
        to: 'Corland',
        article: NEWS,
        quote,
        start: second,
        end: second + quote.length,
        status: 'STATED',
      },
    });
    expect(sold.addFact.fact.evidence[0]).toMatchObject({ start: second, end: second + quote.length });
  });

  it('takes the same new fact from eight requests at once: one relationship, each quote once', async () => {
    const quote = 'The Cor Phone is sold in Corland';
    const at = [NEWS_TEXT.indexOf(quote), NEWS_TEXT.lastIndexOf(quote)];
    // Eight at once, four at each occurrence: without the lock, some of them would each create the fact.
    const results = await Promise.all(
      [...at, ...at, ...at, ...at].map((start) =>
        write(ADD, {
          input: {
            type: 'ENTERING',
            from: 'Cor Rival',
            to: 'Corland',
            article: NEWS,
            quote,
            start,
            end: start + quote.length,
            status: 'SPECULATED',
          },
        }),
      ),
    );
    expect(results.filter((r) => r.addFact.created)).toHaveLength(1);
    expect(results.filter((r) => r.addFact.changed)).toHaveLength(2);
    const stored = await db.read((tx) =>
      tx.run(
        `MATCH (:Entity {id: 'company:cor-rival'})-[r:ENTERING]->() RETURN r.id AS id, r.evidenceStarts AS starts`,
      ),
    );
    expect(stored.records.map((r) => r.toObject())).toEqual([
      { id: 'company:cor-rival|ENTERING|market:cor-land', starts: at },
    ]);
  });

  const base = addManufactures;
  it.each([
    [
      'an unknown entity',
      { ...base, from: 'company:cor-nobody' },
      'NOT_FOUND',
      'input.from',
      /company:cor-nobody/,
    ],
    [
      'an entity of the wrong kind for the type',
      { ...base, from: 'Cor Phone' },
      'BAD_USER_INPUT',
      'input.from',
      /must be a company; "product:cor-phone" \(Cor Phone\) is a Product/,
    ],
    [
      'a wrong kind at the other end',
      { ...base, to: 'company:cor-rival' },
      'BAD_USER_INPUT',
      'input.to',
      /must be a product.*is a Company/,
    ],
    ['an unknown type', { ...base, type: 'OWNS' }, 'BAD_USER_INPUT', 'input.type', /"OWNS"/],
    [
      'a fact between an entity and itself',
      { ...base, type: 'COMPETES_WITH', to: 'company:cor-brand' },
      'BAD_USER_INPUT',
      'input.to',
      /the same entity/,
    ],
    [
      'MENTIONS, which is not a fact',
      { ...base, type: 'MENTIONS' },
      'BAD_USER_INPUT',
      'input.type',
      /MENTIONS/,
    ],
    [
      'DISTRIBUTES without its market',
      {
        ...base,
        type: 'DISTRIBUTES',
        from: 'Cor Seller',
        quote: 'Cor Seller distributes the Cor Phone in Corland',
      },
      'BAD_USER_INPUT',
      'input.market',
      /DISTRIBUTES needs the market/,
    ],
    [
      'a market where the type takes none',
      { ...base, market: 'Corland' },
      'BAD_USER_INPUT',
      'input.market',
      /no market/,
    ],
    [
      'a quote not in the article',
      { ...base, quote: 'Cor Brand makes the Cor Tablet' },
      'BAD_USER_INPUT',
      'input.quote',
      /"Cor Brand makes the Cor Tablet" is not in the article/,
    ],
    [
      'a quote found twice, without offsets',
      {
        ...base,
        type: 'SELLS_IN',
        from: 'Cor Phone',
        to: 'Corland',
        quote: 'The Cor Phone is sold in Corland',
      },
      'BAD_USER_INPUT',
      'input.quote',
      /occurs 2 times in the article, at \d+\.\.\d+, \d+\.\.\d+/,
    ],
    [
      'offsets that do not hold the quote',
      { ...base, start: 0, end: 29 },
      'BAD_USER_INPUT',
      'input.quote',
      /quote not found at 0\.\.29/,
    ],
    ['only one offset', { ...base, start: 3 }, 'BAD_USER_INPUT', 'input.end', /both/],
    [
      'an unknown article',
      { ...base, article: 'article:cor-missing' },
      'NOT_FOUND',
      'input.article',
      /article:cor-missing/,
    ],
    [
      'an article id that is no article',
      { ...base, article: 'company:cor-brand' },
      'BAD_USER_INPUT',
      'input.article',
      /is a Company/,
    ],
    [
      'a spelling of two entities',
      { ...base, type: 'COMPETES_WITH', to: 'Cor Twin' },
      'AMBIGUOUS',
      'input.to',
      /"Cor Twin" could mean Cor Twin Alpha \(Company, company:cor-twin-a\), Cor Twin Beta/,
    ],
  ])('refuses %s, naming it, and changes nothing', async (_what, input, code, argument, message) => {
    const { error } = await refused(ADD, { input }, code, argument);
    expect(error.message).toMatch(message);
  });

  it('suggests what an unknown name probably meant', async () => {
    const { error } = await refused(ADD, { input: { ...base, from: 'Cor Brnd' } }, 'NOT_FOUND', 'input.from');
    expect(error.message).toMatch(/No company matches "Cor Brnd"\. Did you mean "Cor Brand"\?/);
  });
});

describe('retractFact', () => {
  it('retracts a fact: kept with its evidence, with who, when and why; reads leave it out unless asked', async () => {
    const data = await write(RETRACT, { id: MANUFACTURES, reason: '  The quote was about another brand.  ' });
    const r = data.retractFact;
    expect(r.fact).toMatchObject({
      id: MANUFACTURES,
      status: 'RETRACTED',
      retraction: {
        keyId: keys.write.id,
        by: 'corrections writer',
        reason: 'The quote was about another brand.',
      },
    });
    expect(r.fact.evidence).toHaveLength(1);
    expect(Date.parse(r.fact.retraction.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(r.change).toMatchObject({
      mutation: 'retractFact',
      keyId: keys.write.id,
      keyName: 'corrections writer',
      touched: [MANUFACTURES],
      reason: 'The quote was about another brand.',
    });
    expect(Math.abs(Date.parse(r.change.at) - Date.parse(r.fact.retraction.at))).toBeLessThan(5_000);

    expect(await relations('Cor Brand', 'manufactures')).toEqual([]);
    const all = await relations('Cor Brand', 'manufactures', true);
    expect(all.map((e) => [e.id, e.status, e.retraction?.reason, e.evidence.length])).toEqual([
      [MANUFACTURES, 'RETRACTED', 'The quote was about another brand.', 1],
    ]);
  });

  it('refuses to retract it again (the first retraction stands), or to revive it by new evidence', async () => {
    const again = await refused(RETRACT, { id: MANUFACTURES, reason: 'again' }, 'CONFLICT', 'id');
    expect(again.error.message).toMatch(
      /was retracted at .* by corrections writer: "The quote was about another brand\."/,
    );
    const revived = await refused(
      ADD,
      { input: { ...addManufactures, status: 'CONFIRMED' } },
      'CONFLICT',
      'input',
    );
    expect(revived.error.message).toMatch(/was retracted/);
  });

  it.each([
    [
      'a missing fact',
      'company:cor-brand|MANUFACTURES|product:cor-nothing',
      'x',
      'NOT_FOUND',
      'id',
      /No fact has the id/,
    ],
    [
      'a fact of a type the ends do not have',
      'company:cor-brand|SELLS_IN|product:cor-phone',
      'x',
      'NOT_FOUND',
      'id',
      /No fact/,
    ],
    ['a malformed id', 'company:cor-brand', 'x', 'BAD_USER_INPUT', 'id', /not a relationship id/],
    ['an unknown type', 'company:cor-brand|OWNS|product:cor-phone', 'x', 'BAD_USER_INPUT', 'id', /"OWNS"/],
    [
      'a mention',
      `${NEWS}|MENTIONS|company:cor-brand`,
      'x',
      'BAD_USER_INPUT',
      'id',
      /MENTIONS link, not a fact/,
    ],
    [
      'an empty reason',
      'company:cor-rival|PRESENT_IN|market:cor-land',
      '   ',
      'BAD_USER_INPUT',
      'reason',
      /empty/,
    ],
  ])('refuses %s, naming it, and changes nothing', async (_what, id, reason, code, argument, message) => {
    const { error } = await refused(RETRACT, { id, reason }, code, argument);
    expect(error.message).toMatch(message);
  });
});

describe('mergeEntities', () => {
  it('moves relationships, evidence, spellings and properties to the kept entity; the merged id resolves to it', async () => {
    const data = await write(MERGE, { keep: 'Cor Seller', merge: 'CSL' });
    const r = data.mergeEntities;
    const kept = 'company:cor-seller|DISTRIBUTES|product:cor-phone|market:cor-land';
    expect(r.entity).toEqual({
      key: 'company:cor-seller',
      name: 'Cor Seller',
      aliases: ['Cor Seller Ltd', 'Công ty Cor Seller', 'CSL'],
      description: 'A distributor of Cor phones.',
    });
    expect(r.mergedId).toBe('company:cor-seller-ltd');
    expect(r.aliasesAdded).toEqual(['Cor Seller Ltd', 'Công ty Cor Seller', 'CSL']);
    expect(r.moved).toEqual(
      expect.arrayContaining([
        { from: 'company:cor-seller-ltd|DISTRIBUTES|product:cor-phone|market:cor-land', to: kept },
        { from: `${NEWS}|MENTIONS|company:cor-seller-ltd`, to: `${NEWS}|MENTIONS|company:cor-seller` },
      ]),
    );
    expect(r.combined).toBe(2);
    expect(r.change).toMatchObject({ mutation: 'mergeEntities', keyId: keys.write.id });
    expect(r.change.touched).toEqual(
      expect.arrayContaining(['company:cor-seller', 'company:cor-seller-ltd', kept]),
    );
    expect(counts(r.change)).toMatchObject({
      relationshipsMoved: 2,
      relationshipsCombined: 2,
      aliasesAdded: 3,
    });

    // Nothing lost: the kept DISTRIBUTES has both quotes, anchored, its status the strongest.
    const distributes = await relations('Cor Seller', 'distributes');
    const joined = distributes.find((e) => e.id === kept);
    expect(joined?.evidence.map((e) => e.quote)).toEqual([
      'Cor Seller distributes the Cor Phone in Corland',
      'Cor Seller Ltd distributes the Cor Phone in Corland too',
    ]);
    expect(joined?.status).toBe('STATED');
    const anchored = await db.read((tx) =>
      tx.run('MATCH ()-[r:DISTRIBUTES {id: $id}]->() RETURN r.evidencePrefixes AS p', { id: kept }),
    );
    expect(anchored.records[0]?.get('p')).toHaveLength(2);

    // The merged id, its global id and its spellings all find the kept entity.
    const reads = await gql(
      `query M($gid: ID!) {
        node(id: $gid) { ... on Company { key } }
        nodes(ids: [$gid]) { ... on Company { key } }
        byName: entity(name: "Cor Seller Ltd") { key }
        byAlias: entity(name: "csl") { key }
        byVi: entity(name: "cong ty cor seller") { key }
      }`,
      { gid: encodeGlobalID('Company', 'company:cor-seller-ltd') },
    );
    expect(reads.body.errors).toBeUndefined();
    expect(reads.body.data).toEqual({
      node: { key: 'company:cor-seller' },
      nodes: [{ key: 'company:cor-seller' }],
      byName: { key: 'company:cor-seller' },
      byAlias: { key: 'company:cor-seller' },
      byVi: { key: 'company:cor-seller' },
    });
    const gone = await db.read((tx) =>
      tx.run(
        `OPTIONAL MATCH (n:Entity {id: 'company:cor-seller-ltd'})
         OPTIONAL MATCH (:Redirect {id: 'company:cor-seller-ltd'})-[:REDIRECTS_TO]->(k)
         MATCH (kept:Entity {id: 'company:cor-seller'})
         RETURN n IS NULL AS deleted, k.id AS redirect, kept.mergedIds AS mergedIds`,
      ),
    );
    expect(gone.records[0]?.toObject()).toEqual({
      deleted: true,
      redirect: 'company:cor-seller',
      mergedIds: ['company:cor-seller-ltd'],
    });

    // A fact by the merged entity's old name lands on the kept one; its old fact id finds the moved fact.
    const added = await write(ADD, {
      input: {
        type: 'SELLS_IN',
        from: 'company:cor-seller-ltd',
        to: 'Corland',
        article: NEWS,
        quote: 'Cor Seller Ltd distributes the Cor Phone in Corland too',
        status: 'REPORTED',
      },
    });
    expect(added.addFact.fact.id).toBe('company:cor-seller|SELLS_IN|market:cor-land');
  });

  it('rewrites DISTRIBUTES that name a merged market, joining facts that become one', async () => {
    const before = await relations('Cor Seller', 'distributes');
    const items = before.reduce((n, e) => n + e.evidence.length, 0);
    const data = await write(MERGE, { keep: 'market:cor-land', merge: 'Cor Land' });
    expect(data.mergeEntities.entity).toMatchObject({
      key: 'market:cor-land',
      aliases: ['Cor Land'],
      countryCode: 'CL',
    });
    expect(data.mergeEntities.moved).toEqual([
      {
        from: 'company:cor-seller|DISTRIBUTES|product:cor-phone|market:cor-land-2',
        to: 'company:cor-seller|DISTRIBUTES|product:cor-phone|market:cor-land',
      },
    ]);
    const after = await relations('Cor Seller', 'distributes');
    expect(after.map((e) => e.id)).toEqual([
      'company:cor-seller|DISTRIBUTES|product:cor-phone|market:cor-land',
    ]);
    expect(after.reduce((n, e) => n + e.evidence.length, 0)).toBe(items);
    const stale = await db.read((tx) =>
      tx.run("MATCH ()-[r:DISTRIBUTES {market: 'market:cor-land-2'}]->() RETURN count(r) AS n"),
    );
    expect(stale.records[0]?.get('n')).toBe(0);
  });

  it('finds a moved fact by its id from before the merge', async () => {
    const data = await write(RETRACT, {
      id: 'company:cor-seller-ltd|DISTRIBUTES|product:cor-phone|market:cor-land-2',
      reason: 'Checking a merged id.',
    });
    expect(data.retractFact.fact).toMatchObject({
      id: 'company:cor-seller|DISTRIBUTES|product:cor-phone|market:cor-land',
      status: 'RETRACTED',
    });
  });

  it('re-points the redirects of an entity merged in turn', async () => {
    await write(MERGE, { keep: 'Cor Dup Alpha', merge: 'Cor Dup Beta' });
    const data = await write(MERGE, { keep: 'company:cor-dup-c', merge: 'company:cor-dup-a' });
    expect(data.mergeEntities.entity.aliases).toEqual(['Cor Dup Alpha', 'Cor Dup Beta']);
    const reads = await gql(
      'query N($a: ID!, $b: ID!) { a: node(id: $a) { ... on Company { key } } b: node(id: $b) { ... on Company { key } } }',
      {
        a: encodeGlobalID('Company', 'company:cor-dup-a'),
        b: encodeGlobalID('Company', 'company:cor-dup-b'),
      },
    );
    expect(reads.body.data).toEqual({ a: { key: 'company:cor-dup-c' }, b: { key: 'company:cor-dup-c' } });
    const kept = await db.read((tx) =>
      tx.run(
        `MATCH (c:Entity {id: 'company:cor-dup-c'})
         RETURN c.mergedIds AS mergedIds, COUNT { (:Redirect)-[:REDIRECTS_TO]->(c) } AS redirects`,
      ),
    );
    expect(kept.records[0]?.toObject()).toEqual({
      mergedIds: ['company:cor-dup-a', 'company:cor-dup-b'],
      redirects: 2,
    });
  });

  it.each([
    [
      'two facts that would become one, one retracted and one not',
      { keep: 'company:cor-twin-a', merge: 'company:cor-twin-b' },
      'CONFLICT',
      'merge',
      /join a retracted fact with one that is not: company:cor-twin-a\|COMPETES_WITH\|company:cor-brand/,
    ],
    [
      'an entity with itself',
      { keep: 'company:cor-brand', merge: 'company:cor-brand' },
      'BAD_USER_INPUT',
      'merge',
      /cannot be merged with itself/,
    ],
    [
      'an entity with itself by another name',
      { keep: 'Cor Brand', merge: 'company:cor-brand' },
      'BAD_USER_INPUT',
      'merge',
      /itself/,
    ],
    [
      'an id already merged into the other',
      { keep: 'Cor Seller', merge: 'company:cor-seller-ltd' },
      'BAD_USER_INPUT',
      'merge',
      /already one entity/,
    ],
    [
      'a missing entity',
      { keep: 'Cor Brand', merge: 'company:cor-nobody' },
      'NOT_FOUND',
      'merge',
      /company:cor-nobody/,
    ],
    [
      'a missing kept entity',
      { keep: 'company:cor-nobody', merge: 'Cor Brand' },
      'NOT_FOUND',
      'keep',
      /company:cor-nobody/,
    ],
    [
      'entities of two kinds',
      { keep: 'Cor Brand', merge: 'Cor Phone' },
      'CONFLICT',
      'merge',
      /is a Company, "product:cor-phone" a Product/,
    ],
    ['an ambiguous name', { keep: 'Cor Brand', merge: 'Cor Twin' }, 'AMBIGUOUS', 'merge', /could mean/],
    ['an empty name', { keep: 'Cor Brand', merge: ' ' }, 'BAD_USER_INPUT', 'merge', /empty/],
    ['articles', { keep: NEWS, merge: SECOND }, 'BAD_USER_INPUT', 'merge', /Articles are not merged/],
  ])('refuses %s, naming it, and changes nothing', async (_what, args, code, argument, message) => {
    const { error } = await refused(MERGE, args, code, argument);
    expect(error.message).toMatch(message);
  });
});

describe('withdrawArticle', () => {
  const PRESENT = 'company:cor-rival|PRESENT_IN|market:cor-land';
  const COMPETES = 'company:cor-rival|COMPETES_WITH|company:cor-brand';

  it('retracts the facts only it supports, keeps those others support (their status from those)', async () => {
    const data = await write(WITHDRAW, { id: SECOND, reason: 'The report was a hoax.' });
    const r = data.withdrawArticle;
    expect(r.retracted).toEqual([PRESENT]);
    expect(r.kept).toEqual([COMPETES]);
    expect(r.article).toEqual({
      key: SECOND,
      withdrawal: {
        at: expect.any(String),
        keyId: keys.write.id,
        by: 'corrections writer',
        reason: 'The report was a hoax.',
      },
    });
    expect(r.change).toMatchObject({ mutation: 'withdrawArticle', reason: 'The report was a hoax.' });
    expect(r.change.touched).toEqual(expect.arrayContaining([SECOND, PRESENT, COMPETES]));
    expect(counts(r.change)).toMatchObject({ retracted: 1, kept: 1 });

    expect(await relations('Cor Rival', 'presentIn')).toEqual([]);
    const present = await relations('Cor Rival', 'presentIn', true);
    expect(present.map((e) => [e.id, e.status, e.retraction?.reason])).toEqual([
      [PRESENT, 'RETRACTED', 'article withdrawn: The report was a hoax.'],
    ]);
    // Still there, no longer CONFIRMED: that quote was the withdrawn article's; both quotes kept.
    const competes = await relations('Cor Rival', 'competesWith');
    expect(competes.map((e) => [e.id, e.status, e.evidence.length])).toEqual([[COMPETES, 'REPORTED', 2]]);
  });

  it.each([
    [
      'an article withdrawn already',
      SECOND,
      'again',
      'CONFLICT',
      'id',
      /already withdrawn .* by corrections writer: "The report was a hoax\."/,
    ],
    [
      'a missing article',
      'article:cor-missing',
      'x',
      'NOT_FOUND',
      'id',
      /No article has the id "article:cor-missing"/,
    ],
    ['an id that is no article', 'company:cor-brand', 'x', 'BAD_USER_INPUT', 'id', /is a Company/],
    ['an empty reason', NEWS, '', 'BAD_USER_INPUT', 'reason', /empty/],
  ])('refuses %s, naming it, and changes nothing', async (_what, id, reason, code, argument, message) => {
    const { error } = await refused(WITHDRAW, { id, reason }, code, argument);
    expect(error.message).toMatch(message);
  });

  it('takes no new evidence from a withdrawn article', async () => {
    const { error } = await refused(
      ADD,
      {
        input: {
          type: 'SELLS_IN',
          from: 'Cor Rival',
          to: 'Corland',
          article: SECOND,
          quote: 'Cor Rival is present in Corland',
          status: 'STATED',
        },
      },
      'CONFLICT',
      'input.article',
    );
    expect(error.message).toMatch(/was withdrawn/);
  });
});

describe('scopes', () => {
  const attempts: [string, string, Record<string, unknown>][] = [
    ['addFact', ADD, { input: { ...addManufactures, to: 'Cor Phone', type: 'SELLS_IN' } }],
    ['retractFact', RETRACT, { id: 'company:cor-rival|COMPETES_WITH|company:cor-brand', reason: 'x' }],
    ['mergeEntities', MERGE, { keep: 'Cor Brand', merge: 'Cor Rival' }],
    ['withdrawArticle', WITHDRAW, { id: NEWS, reason: 'x' }],
  ];
  it.each(attempts)(
    '%s: no key is UNAUTHENTICATED, a read key FORBIDDEN, a revoked key UNAUTHENTICATED',
    async (field, query, variables) => {
      const none = await refused(query, variables, 'UNAUTHENTICATED', null, {});
      expect(none.status).toBe(401);
      expect(none.error.message).toBe(`Mutation.${field} needs an API key with the write scope.`);
      const read = await refused(query, variables, 'FORBIDDEN', null, bearer(keys.read));
      expect(read.status).toBe(403);
      const revoked = await refused(query, variables, 'UNAUTHENTICATED', null, bearer(keys.revoked));
      expect(revoked.status).toBe(401);
    },
  );
});

describe('changes', () => {
  const PAGE = `query C($first: Int, $after: String) {
    changes(first: $first, after: $after) { nodes { id at mutation keyId keyName reason } endCursor hasNextPage }
  }`;

  it('lists every Change newest first, page by page, for admin keys only', async () => {
    const seen: { id: string; mutation: string; keyId: string | null }[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const res: GqlResponse = await gql(PAGE, { first: 2, after }, bearer(keys.admin));
      expect(res.body.errors).toBeUndefined();
      const page: { nodes: typeof seen; endCursor: string; hasNextPage: boolean } = res.body.data?.changes;
      expect(page.nodes.length).toBeLessThanOrEqual(2);
      seen.push(...page.nodes);
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    const ids = seen.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort().reverse()).toEqual(ids);
    // This file's writes, newest first: what the tests above did, in reverse.
    expect(seen.filter((c) => c.keyId === keys.write.id).map((c) => c.mutation)).toEqual([
      'withdrawArticle',
      'mergeEntities',
      'mergeEntities',
      'retractFact',
      'mergeEntities',
      'addFact',
      'mergeEntities',
      'retractFact',
      ...Array(8).fill('addFact'),
    ]);

    const writer = await gql(PAGE, { first: 2 }, bearer(keys.write));
    expect(writer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await gql(PAGE, { first: 2 });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('logged no unexpected error', () => {
    expect(logged).toEqual([]);
  });
});
