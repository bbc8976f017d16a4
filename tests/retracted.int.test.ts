import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldName } from '../src/graph/names.js';
import { countingDb, removeEntities } from './support/db.js';
import { gqlClient } from './support/graphql.js';

/**
 * Retraction on the read side: a relationship whose status is 'retracted' is left out of every read that
 * follows relationships unless the question asks for it (`includeRetracted: true`), and `minStatus` never
 * admits it. The facts here are written with Cypher, beside the article and unconnected to it: a small
 * market with a live and a retracted DISTRIBUTES, a retracted MANUFACTURES behind a brand, a retracted
 * COMPETES_WITH that would shorten a path, and a withdrawn article.
 */

const db = countingDb();
const logged: unknown[] = [];
const gql = gqlClient(db, logged);
const OWN = ['company:rtx-', 'product:rtx-', 'market:rtx-', 'article:rtx-'];

const ARTICLE = 'article:rtx-news';
const TEXT =
  'Rtx Brand makes the Rtx Phone. Rtx Live Distributor sells the Rtx Phone in Rtxland. ' +
  'Rtx Gone Distributor was said to distribute it too. Rtx Gone Distributor competes with Rtx Live Distributor. ' +
  'Rtx Brand also makes the Rtx Tablet, which Rtx Live Distributor carries. Rtx Gone Distributor is in Rtxland. ' +
  'Rtx Live Distributor sells in Rtxland.';
const RETRACTION = {
  at: '2025-01-02T03:04:05.000Z',
  keyId: 'key-rtx-test',
  by: 'rtx analyst',
  reason: 'The source was misread.',
};
const WITHDRAWAL = {
  at: '2025-02-03T04:05:06.000Z',
  keyId: null,
  by: 'command line',
  reason: 'The publisher took the story down.',
};

const entities = [
  { id: 'company:rtx-brand', kind: 'Company', name: 'Rtx Brand' },
  { id: 'company:rtx-live', kind: 'Company', name: 'Rtx Live Distributor' },
  { id: 'company:rtx-gone', kind: 'Company', name: 'Rtx Gone Distributor' },
  { id: 'product:rtx-phone', kind: 'Product', name: 'Rtx Phone' },
  { id: 'product:rtx-tablet', kind: 'Product', name: 'Rtx Tablet' },
  { id: 'market:rtx-land', kind: 'Market', name: 'Rtxland' },
];

/** One relationship: its evidence is one quote of the article, with prefix and suffix unless `old`. */
function fact(
  type: string,
  from: string,
  to: string,
  quote: string,
  status: string,
  o: { market?: string; retracted?: boolean; old?: boolean } = {},
) {
  const start = TEXT.indexOf(quote);
  if (start < 0) throw new Error(`quote not in the text: ${quote}`);
  const end = start + quote.length;
  return {
    type,
    from,
    to,
    props: {
      id: [from, type, to, ...(o.market ? [o.market] : [])].join('|'),
      market: o.market ?? null,
      evidenceQuotes: [quote],
      evidenceStarts: [start],
      evidenceEnds: [end],
      evidenceStatuses: [status],
      evidenceArticles: [ARTICLE],
      ...(o.old
        ? {}
        : {
            evidencePrefixes: [TEXT.slice(Math.max(0, start - 32), start)],
            evidenceSuffixes: [TEXT.slice(end, end + 32)],
          }),
      status: o.retracted ? 'retracted' : status,
      ...(o.retracted
        ? {
            retractedAt: RETRACTION.at,
            retractedBy: RETRACTION.keyId,
            retractedByName: RETRACTION.by,
            retractedReason: RETRACTION.reason,
          }
        : {}),
    },
  };
}

const LAND = 'market:rtx-land';
const facts = [
  fact('MANUFACTURES', 'company:rtx-brand', 'product:rtx-phone', 'Rtx Brand makes the Rtx Phone', 'stated', {
    old: true,
  }),
  fact(
    'DISTRIBUTES',
    'company:rtx-live',
    'product:rtx-phone',
    'Rtx Live Distributor sells the Rtx Phone in Rtxland',
    'stated',
    { market: LAND },
  ),
  fact(
    'DISTRIBUTES',
    'company:rtx-gone',
    'product:rtx-phone',
    'Rtx Gone Distributor was said to distribute it too',
    'confirmed',
    { market: LAND, retracted: true },
  ),
  fact(
    'COMPETES_WITH',
    'company:rtx-gone',
    'company:rtx-live',
    'Rtx Gone Distributor competes with Rtx Live Distributor',
    'stated',
    { retracted: true },
  ),
  fact(
    'MANUFACTURES',
    'company:rtx-brand',
    'product:rtx-tablet',
    'Rtx Brand also makes the Rtx Tablet',
    'stated',
    {
      retracted: true,
    },
  ),
  fact(
    'DISTRIBUTES',
    'company:rtx-live',
    'product:rtx-tablet',
    'which Rtx Live Distributor carries',
    'reported',
    { market: LAND },
  ),
  fact('PRESENT_IN', 'company:rtx-gone', LAND, 'Rtx Gone Distributor is in Rtxland', 'confirmed'),
  fact('SELLS_IN', 'company:rtx-live', LAND, 'Rtx Live Distributor sells in Rtxland', 'reported'),
];
const GONE_DISTRIBUTES = 'company:rtx-gone|DISTRIBUTES|product:rtx-phone|market:rtx-land';

beforeAll(async () => {
  await removeEntities(db, OWN);
  await db.write(async (tx) => {
    const nodes = [
      ...entities.map((e) => ({ ...e, props: {} })),
      {
        id: ARTICLE,
        kind: 'Article',
        name: 'Rtx market news',
        props: { title: 'Rtx market news', text: TEXT, language: 'en' },
      },
      {
        id: 'article:rtx-withdrawn',
        kind: 'Article',
        name: 'Rtx withdrawn story',
        props: {
          title: 'Rtx withdrawn story',
          text: 'A story about Rtxland.',
          language: 'en',
          withdrawnAt: WITHDRAWAL.at,
          withdrawnBy: WITHDRAWAL.keyId,
          withdrawnByName: WITHDRAWAL.by,
          withdrawnReason: WITHDRAWAL.reason,
        },
      },
    ];
    for (const n of nodes) {
      // Labels come from this file's fixed list, never from input.
      await tx.run(
        `CREATE (e:Entity:${n.kind}) SET e = $props, e.id = $id, e.kind = $kind, e.name = $name,
           e.aliases = [], e.sortName = $key
         MERGE (k:NameKey {key: $key}) MERGE (k)-[:NAMES]->(e)`,
        { ...n, key: foldName(n.name) },
      );
    }
    for (const f of facts) {
      await tx.run(
        `MATCH (a:Entity {id: $from}), (b:Entity {id: $to}) CREATE (a)-[r:${f.type}]->(b) SET r = $props`,
        f,
      );
    }
  });
});

afterAll(() => removeEntities(db, OWN));

async function ask(query: string, variables?: Record<string, unknown>) {
  db.sent = [];
  const { body } = await gql(query, variables);
  expect(body.errors, String(logged.at(-1))).toBeUndefined();
  return { data: body.data as Record<string, any>, statements: db.sent };
}

const retraction = {
  at: RETRACTION.at,
  keyId: RETRACTION.keyId,
  by: RETRACTION.by,
  reason: RETRACTION.reason,
};

describe('a relationship field', () => {
  const FIELD = `totalCount edges {
    id status node { key }
    retraction { at keyId by reason }
    evidence { quote start end status prefix suffix }
  }`;
  const distributedBy = (args: string) => `{
    entity(name: "Rtx Phone") { ... on Product { distributedBy${args} { ${FIELD} } } }
  }`;

  it('leaves a retracted relationship out by default, in one statement', async () => {
    const { data, statements } = await ask(distributedBy(''));
    expect(statements).toHaveLength(1);
    // Nothing asked for retracted facts, so nothing reads who retracted one.
    expect(statements[0]).not.toMatch(/retracted(At|By|Reason)/);
    const field = data.entity.distributedBy;
    expect(field.totalCount).toBe(1);
    expect(field.edges.map((e: { node: { key: string } }) => e.node.key)).toEqual(['company:rtx-live']);
    expect(field.edges[0]).toMatchObject({ status: 'STATED', retraction: null });
  });

  it('gives it with includeRetracted: status RETRACTED, who, when and why, its evidence untouched', async () => {
    const { data, statements } = await ask(distributedBy('(includeRetracted: true)'));
    expect(statements).toHaveLength(1);
    const field = data.entity.distributedBy;
    expect(field.totalCount).toBe(2);
    const gone = field.edges.find((e: { id: string }) => e.id === GONE_DISTRIBUTES);
    const quote = 'Rtx Gone Distributor was said to distribute it too';
    const start = TEXT.indexOf(quote);
    expect(gone).toEqual({
      id: GONE_DISTRIBUTES,
      status: 'RETRACTED',
      node: { key: 'company:rtx-gone' },
      retraction,
      evidence: [
        {
          quote,
          start,
          end: start + quote.length,
          status: 'CONFIRMED',
          prefix: TEXT.slice(start - 32, start),
          suffix: TEXT.slice(start + quote.length, start + quote.length + 32),
        },
      ],
    });
    const live = field.edges.find((e: { id: string }) => e.id !== GONE_DISTRIBUTES);
    expect(live).toMatchObject({ status: 'STATED', retraction: null });
  });

  it('never admits it by minStatus, even with includeRetracted', async () => {
    for (const min of ['CONFIRMED', 'STATED', 'REPORTED', 'SPECULATED']) {
      const { data } = await ask(distributedBy(`(minStatus: ${min}, includeRetracted: true)`));
      const keys = data.entity.distributedBy.edges.map((e: { node: { key: string } }) => e.node.key);
      expect(keys, `minStatus: ${min}`).not.toContain('company:rtx-gone');
      expect(data.entity.distributedBy.totalCount).toBe(keys.length);
    }
    // Its quote is CONFIRMED, the live one's STATED: at CONFIRMED nothing is left.
    const { data } = await ask(distributedBy('(minStatus: CONFIRMED, includeRetracted: true)'));
    expect(data.entity.distributedBy.totalCount).toBe(0);
  });

  it('adds it to what a status set keeps when asked', async () => {
    const { data } = await ask(`{ entity(name: "Rtx Phone") { ... on Product {
      set: distributedBy(status: [CONFIRMED]) { totalCount }
      setAndRetracted: distributedBy(status: [CONFIRMED], includeRetracted: true) { totalCount edges { status } }
    } } }`);
    expect(data.entity.set.totalCount).toBe(0);
    expect(data.entity.setAndRetracted).toEqual({ totalCount: 1, edges: [{ status: 'RETRACTED' }] });
  });

  it('answers the same planned in one statement and field by field', async () => {
    const selection = `key ... on Company {
      distributes(includeRetracted: true) { ${FIELD} }
      standing: distributes { ${FIELD} }
      competesWith(includeRetracted: true) { totalCount edges { status retraction { reason } node { key } } }
      presentIn { totalCount edges { node { key ... on Market { soldHere(includeRetracted: true) { totalCount } } } } }
    }`;
    const planned = await ask(`{ entity(name: "Rtx Gone Distributor") { ${selection} } }`);
    expect(planned.statements).toHaveLength(1);
    const id = encodeGlobalID('Company', 'company:rtx-gone');
    const unplanned = await ask(`query($id: ID!) { node(id: $id) { ... on Entity { ${selection} } } }`, {
      id,
    });
    expect(unplanned.statements.length).toBeGreaterThan(1);
    expect(planned.data.entity).toEqual(unplanned.data.node);
    const gone = planned.data.entity;
    expect(gone.standing).toEqual({ totalCount: 0, edges: [] });
    expect(gone.distributes.totalCount).toBe(1);
    expect(gone.competesWith).toEqual({
      totalCount: 1,
      edges: [
        { status: 'RETRACTED', retraction: { reason: RETRACTION.reason }, node: { key: 'company:rtx-live' } },
      ],
    });
  });

  it('leaves out what only a retracted MANUFACTURES makes a product of the brand', async () => {
    const query = (args: string) =>
      `{ entity(name: "Rtx Live Distributor") { ... on Company {
        distributes(brand: "Rtx Brand"${args}) { totalCount edges { node { key } } }
      } } }`;
    const standing = await ask(query(''));
    expect(standing.data.entity.distributes).toEqual({
      totalCount: 1,
      edges: [{ node: { key: 'product:rtx-phone' } }],
    });
    const all = await ask(query(', includeRetracted: true'));
    expect(all.data.entity.distributes.totalCount).toBe(2);
    const id = encodeGlobalID('Company', 'company:rtx-live');
    const unplanned = await ask(
      `query($id: ID!) { node(id: $id) { ... on Company { distributes(brand: "Rtx Brand") { totalCount } } } }`,
      { id },
    );
    expect(unplanned.data.node.distributes.totalCount).toBe(1);
  });

  it('counts evidence without prefixes by its quotes; prefix and suffix are null there', async () => {
    const { data, statements } = await ask(`{ entity(name: "Rtx Brand") { ... on Company {
      manufactures { edges { node { key } evidence { prefix suffix } } }
    } } }`);
    expect(statements[0]).toMatch(/evidenceQuotes/);
    expect(data.entity.manufactures.edges).toEqual([
      { node: { key: 'product:rtx-phone' }, evidence: [{ prefix: null, suffix: null }] },
    ]);
  });
});

describe('a list filter on relationships', () => {
  const companies = async (where: Record<string, unknown>) => {
    const { data, statements } = await ask(
      'query($w: CompanyWhere) { companies(where: $w) { totalCount edges { node { key } } } }',
      { w: where },
    );
    expect(statements).toHaveLength(1);
    expect(data.companies.totalCount).toBe(data.companies.edges.length);
    return data.companies.edges.map((e: { node: { key: string } }) => e.node.key) as string[];
  };
  const ours = { key: { in: ['company:rtx-brand', 'company:rtx-gone', 'company:rtx-live'] } };

  it('_SOME counts a retracted relationship only with includeRetracted, never by minStatus', async () => {
    expect(await companies({ distributes_SOME: { market: 'Rtxland' } })).toEqual(['company:rtx-live']);
    expect(await companies({ distributes_SOME: { market: 'Rtxland', includeRetracted: true } })).toEqual([
      'company:rtx-gone',
      'company:rtx-live',
    ]);
    expect(
      await companies({
        distributes_SOME: { market: 'Rtxland', minStatus: 'CONFIRMED', includeRetracted: true },
      }),
    ).toEqual([]);
    expect(await companies({ distributes_SOME: { brand: 'Rtx Brand', market: 'Rtxland' } })).toEqual([
      'company:rtx-live',
    ]);
  });

  it('_NONE holds for an entity whose only such relationship is retracted', async () => {
    expect(await companies({ ...ours, distributes_NONE: {} })).toEqual([
      'company:rtx-brand',
      'company:rtx-gone',
    ]);
    expect(await companies({ ...ours, distributes_NONE: { includeRetracted: true } })).toEqual([
      'company:rtx-brand',
    ]);
    expect(await companies({ ...ours, competesWith_NONE: {} })).toEqual(ours.key.in);
  });

  it('products: a retracted MANUFACTURES makes no manufacturer', async () => {
    const { data } = await ask(`{
      standing: products(where: { key: { in: ["product:rtx-phone", "product:rtx-tablet"] }, manufacturedBy_SOME: {} }) { totalCount edges { node { key } } }
      all: products(where: { key: { in: ["product:rtx-phone", "product:rtx-tablet"] }, manufacturedBy_SOME: { includeRetracted: true } }) { totalCount }
    }`);
    expect(data.standing).toEqual({ totalCount: 1, edges: [{ node: { key: 'product:rtx-phone' } }] });
    expect(data.all.totalCount).toBe(2);
  });
});

describe('distributors', () => {
  const distributors = async (args = '') => {
    const { data, statements } = await ask(
      `{ distributors(brand: "Rtx Brand", market: "Rtxland"${args}) { key } }`,
    );
    expect(statements).toHaveLength(1);
    return data.distributors.map((c: { key: string }) => c.key) as string[];
  };

  it('never answers from a retracted DISTRIBUTES unless asked', async () => {
    expect(await distributors()).toEqual(['company:rtx-live']);
    expect(await distributors(', includeRetracted: true')).toEqual(['company:rtx-gone', 'company:rtx-live']);
  });

  it('agrees with the relationship fields it summarises', async () => {
    const { data } = await ask(`{ product: entity(name: "Rtx Phone") {
      ... on Product { distributedBy(market: "Rtxland") { edges { node { key } } } }
    } }`);
    expect(data.product.distributedBy.edges.map((e: { node: { key: string } }) => e.node.key)).toEqual(
      await distributors(),
    );
  });
});

describe('neighborhood, path and allShortestPaths', () => {
  const EDGES = 'edges { id type status retraction { at keyId by reason } }';

  it('a neighbourhood leaves retracted edges (and what only they reach) out unless asked', async () => {
    const hood = (args: string) =>
      `neighborhood(name: "Rtx Phone"${args}) { nodes { key } ${EDGES} truncated }`;
    const { data, statements } = await ask(`{
      standing: ${hood('')}
      all: ${hood(', includeRetracted: true')}
      scale: ${hood(', minStatus: SPECULATED, includeRetracted: true')}
    }`);
    expect(statements).toHaveLength(3);
    expect(statements[0]).not.toMatch(/retracted(At|By|Reason)/);
    const keys = (s: { nodes: { key: string }[] }) => s.nodes.map((n) => n.key).sort();
    expect(keys(data.standing)).toEqual(['company:rtx-brand', 'company:rtx-live', 'product:rtx-phone']);
    expect(keys(data.all)).toEqual([
      'company:rtx-brand',
      'company:rtx-gone',
      'company:rtx-live',
      'product:rtx-phone',
    ]);
    expect(data.scale).toEqual(data.standing);
    expect(data.standing.edges.every((e: { status: string }) => e.status !== 'RETRACTED')).toBe(true);
    const gone = data.all.edges.find((e: { id: string }) => e.id === GONE_DISTRIBUTES);
    expect(gone).toEqual({ id: GONE_DISTRIBUTES, type: 'DISTRIBUTES', status: 'RETRACTED', retraction });
    expect(data.all.edges).toHaveLength(data.standing.edges.length + 1);
  });

  it('a path walks no retracted edge unless asked', async () => {
    const path = (args: string) =>
      `path(from: "Rtx Gone Distributor", to: "Rtx Live Distributor"${args}) { length ${EDGES} hops { edge { status } } }`;
    const { data } = await ask(`{
      standing: ${path('')}
      all: ${path(', includeRetracted: true')}
      scale: ${path(', minStatus: SPECULATED, includeRetracted: true')}
    }`);
    expect(data.standing.length).toBe(2);
    expect(data.standing.edges.map((e: { type: string }) => e.type)).toEqual(['PRESENT_IN', 'SELLS_IN']);
    expect(data.all).toMatchObject({
      length: 1,
      edges: [{ type: 'COMPETES_WITH', status: 'RETRACTED', retraction }],
      hops: [{ edge: { status: 'RETRACTED' } }],
    });
    expect(data.scale).toEqual(data.standing);
  });

  it('allShortestPaths likewise', async () => {
    const paths = (args: string) =>
      `allShortestPaths(from: "Rtx Gone Distributor", to: "Rtx Brand", maxHops: 4${args}) { length edges { id status } }`;
    const { data } = await ask(`{
      standing: ${paths('')}
      all: ${paths(', includeRetracted: true')}
      scale: ${paths(', minStatus: SPECULATED, includeRetracted: true')}
    }`);
    // Standing: Gone -PRESENT_IN- Rtxland -SELLS_IN- Live -DISTRIBUTES- Phone -MANUFACTURES- Brand.
    expect(data.standing).toHaveLength(1);
    expect(data.standing[0].length).toBe(4);
    for (const p of data.standing) {
      expect(p.edges.every((e: { status: string }) => e.status !== 'RETRACTED')).toBe(true);
    }
    // With retracted edges: Gone -DISTRIBUTES(retracted)- Phone -MANUFACTURES- Brand.
    expect(data.all).toEqual([
      {
        length: 2,
        edges: [
          { id: GONE_DISTRIBUTES, status: 'RETRACTED' },
          { id: 'company:rtx-brand|MANUFACTURES|product:rtx-phone', status: 'STATED' },
        ],
      },
    ]);
    expect(data.scale).toEqual(data.standing);
  });
});

describe('stats', () => {
  const counted = async (where: string) =>
    db.read(async (tx) => {
      const r = await tx.run(
        `MATCH (:Entity)-[r]->(:Entity) WHERE ${where} RETURN type(r) AS type, r.status AS status, count(r) AS count`,
      );
      return r.records.map((rec) => ({
        type: rec.get('type') as string,
        status: (rec.get('status') as string).toUpperCase(),
        count: Number(rec.get('count')),
      }));
    });
  const sorted = (rows: { type: string; status: string; count: number }[]) =>
    [...rows].sort((a, b) => `${a.type}|${a.status}`.localeCompare(`${b.type}|${b.status}`));

  it('relationships counts retracted ones only when asked, never by minStatus', async () => {
    const { data } = await ask(`{ stats {
      standing: relationships { type status count }
      all: relationships(includeRetracted: true) { type status count }
      scale: relationships(minStatus: SPECULATED, includeRetracted: true) { type status count }
      set: relationships(status: [CONFIRMED], includeRetracted: true) { type status count }
    } }`);
    expect(sorted(data.stats.standing)).toEqual(sorted(await counted("r.status <> 'retracted'")));
    expect(sorted(data.stats.all)).toEqual(sorted(await counted('true')));
    expect(data.stats.scale).toEqual(data.stats.standing);
    const retracted = data.stats.all.filter((r: { status: string }) => r.status === 'RETRACTED');
    expect(retracted).toEqual(
      expect.arrayContaining([{ type: 'DISTRIBUTES', status: 'RETRACTED', count: 1 }]),
    );
    expect(data.stats.standing.some((r: { status: string }) => r.status === 'RETRACTED')).toBe(false);
    expect(
      data.stats.set.every((r: { status: string }) => ['CONFIRMED', 'RETRACTED'].includes(r.status)),
    ).toBe(true);
    expect(sorted(data.stats.set.filter((r: { status: string }) => r.status === 'RETRACTED'))).toEqual(
      sorted(retracted),
    );
  });

  it('distributorsPerMarket and productsPerDistributor count standing facts only', async () => {
    const { data } = await ask(`{ stats {
      perMarket: distributorsPerMarket(brand: "Rtx Brand") { market { key } distributors products }
      perDistributor: productsPerDistributor(market: "Rtxland") { company { key } products markets }
      branded: productsPerDistributor(market: "Rtxland", brand: "Rtx Brand") { company { key } products markets }
    } }`);
    expect(data.stats.perMarket).toEqual([{ market: { key: LAND }, distributors: 1, products: 1 }]);
    expect(data.stats.perDistributor).toEqual([
      { company: { key: 'company:rtx-live' }, products: 2, markets: 1 },
    ]);
    // The tablet is the brand's only by a retracted MANUFACTURES.
    expect(data.stats.branded).toEqual([{ company: { key: 'company:rtx-live' }, products: 1, markets: 1 }]);
  });
});

describe('an article', () => {
  it('says who withdrew it, when and why; null while it stands', async () => {
    const query = `{
      gone: entity(name: "Rtx withdrawn story") { key ... on Article { title withdrawal { at keyId by reason } } }
      standing: entity(name: "Rtx market news") { key ... on Article { withdrawal { at } } }
    }`;
    const { data, statements } = await ask(query);
    expect(data.gone).toEqual({
      key: 'article:rtx-withdrawn',
      title: 'Rtx withdrawn story',
      withdrawal: WITHDRAWAL,
    });
    expect(data.standing).toEqual({ key: ARTICLE, withdrawal: null });
    // The planned read takes the withdrawal's properties, not the whole node (nor its text).
    for (const s of statements) expect(s).not.toMatch(/\.\*|\.text\b/);
    const id = encodeGlobalID('Article', 'article:rtx-withdrawn');
    const byId = await ask(
      `query($id: ID!) { node(id: $id) { ... on Article { withdrawal { at keyId by reason } } } }`,
      {
        id,
      },
    );
    expect(byId.data.node.withdrawal).toEqual(WITHDRAWAL);
  });
});
