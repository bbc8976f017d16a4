import { describe, expect, it } from 'vitest';
import { strongestStatus } from '../src/graph/model.js';
import { countingDb } from './support/db.js';
import { articleFacts } from './support/facts.js';
import { gqlClient } from './support/graphql.js';

/**
 * `minStatus` is a point on the scale CONFIRMED > STATED > REPORTED > SPECULATED: a relationship passes when at
 * least one of its quotes is that sure or surer. The expected answers below are worked out from the quotes the
 * API returns (or from the facts file), never from a relationship's own `status`.
 */

const db = countingDb();
const gql = gqlClient(db);
const facts = articleFacts();

const SCALE = ['CONFIRMED', 'STATED', 'REPORTED', 'SPECULATED'] as const;
type Status = (typeof SCALE)[number];
const rank = (s: string) => SCALE.indexOf(s as Status);

interface Quoted {
  status: string;
  evidence: { status: string }[];
}
/** The oracle: one quote at or above the point of the scale. */
const passes = (min: Status) => (edge: Quoted) => edge.evidence.some((q) => rank(q.status) <= rank(min));

async function ask(query: string, variables?: Record<string, unknown>) {
  db.sent = [];
  const { body } = await gql(query, variables);
  expect(body.errors).toBeUndefined();
  return { data: body.data as Record<string, any>, statements: db.sent };
}

/** Xiaomi's relationship fields, between them edges of every status and edges with mixed quotes. */
const XIAOMI_FIELDS = [
  'sellsIn',
  'manufactures',
  'operates',
  'competesWith',
  'offices',
  'headquarteredIn',
  'presentIn',
  'entering',
  'employees',
  'statementsAbout',
];
const EDGE = '{ id status evidence { status } }';

describe('minStatus on a relationship field', () => {
  /** Xiaomi's relationship fields, each read with the arguments given, in one statement. */
  const xiaomi = async (args = '', variables?: Record<string, unknown>) => {
    const fields = XIAOMI_FIELDS.map((f) => `${f}(first: 100${args}) { totalCount edges ${EDGE} }`);
    const declared = [
      args.includes('$status') ? '$status: [EvidenceStatus!]' : '',
      args.includes('$min') ? '$min: EvidenceStatus' : '',
    ].filter(Boolean);
    const { data, statements } = await ask(
      `query${declared.length ? `(${declared.join(', ')})` : ''} { entity(name: "Xiaomi") { ... on Company { ${fields.join(' ')} } } }`,
      variables,
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]).not.toMatch(/'(confirmed|stated|reported|speculated)'/);
    return data.entity as Record<string, { totalCount: number; edges: (Quoted & { id: string })[] }>;
  };

  it('keeps exactly the edges with a quote at or above it, in one statement', async () => {
    const all = await xiaomi();
    const counts: number[] = [];
    for (const min of SCALE) {
      const got = await xiaomi(', minStatus: $min', { min });
      let count = 0;
      for (const f of XIAOMI_FIELDS) {
        const expected = all[f]?.edges.filter(passes(min));
        expect(got[f]?.edges, `${f}(minStatus: ${min})`).toEqual(expected);
        expect(got[f]?.totalCount, `${f}(minStatus: ${min})`).toBe(expected?.length);
        count += got[f]?.totalCount ?? 0;
      }
      counts.push(count);
    }
    // Not vacuous: every point of the scale keeps more than the one above it, and the lowest keeps all.
    expect(new Set(counts).size).toBe(SCALE.length);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBe(XIAOMI_FIELDS.reduce((n, f) => n + (all[f]?.totalCount ?? 0), 0));
  });

  it('passes an edge with mixed quotes down to the weakest of them, and returns all its quotes', async () => {
    const mixed = facts.relationships.find(
      (r) => r.type === 'SELLS_IN' && r.from === 'company:xiaomi' && r.to === 'market:south-korea',
    );
    expect(mixed.evidence.map((e: { status: string }) => e.status)).toEqual(['reported', 'stated']);
    const sellsIn = (min: Status) =>
      `${min}: sellsIn(minStatus: ${min}) { edges { node { name } status evidence { quote status } } }`;
    const { data } = await ask(
      `{ entity(name: "Xiaomi") { ... on Company { ${SCALE.map(sellsIn).join(' ')} } } }`,
    );
    const korea = {
      node: { name: 'South Korea' },
      status: 'STATED',
      evidence: mixed.evidence.map((e: { quote: string; status: string }) => ({
        quote: e.quote,
        status: e.status.toUpperCase(),
      })),
    };
    expect(data.entity.CONFIRMED.edges).toEqual([]);
    expect(data.entity.STATED.edges).toEqual([korea]);
    expect(data.entity.REPORTED.edges).toEqual([korea]);
    expect(data.entity.SPECULATED.edges).toEqual([korea]);
  });

  it('keeps a CONFIRMED edge at minStatus STATED, which status: [STATED] drops', async () => {
    const { data } = await ask(`{
      entity(name: "Xiaomi") {
        ... on Company {
          set: operates(status: [STATED]) { totalCount }
          scale: operates(minStatus: STATED) { totalCount edges { node { name } status evidence { status } } }
          top: operates(minStatus: CONFIRMED) { totalCount }
        }
      }
    }`);
    expect(data.entity.set.totalCount).toBe(0);
    expect(data.entity.top.totalCount).toBe(1);
    expect(data.entity.scale).toEqual({
      totalCount: 1,
      edges: [
        {
          node: { name: 'Xiaomi Korean-language website' },
          status: 'CONFIRMED',
          evidence: [{ status: 'STATED' }, { status: 'STATED' }, { status: 'CONFIRMED' }],
        },
      ],
    });
  });

  it('with status, keeps what both keep', async () => {
    const all = await xiaomi();
    const sets: Status[][] = [['STATED', 'SPECULATED'], ['SPECULATED'], ['CONFIRMED', 'REPORTED']];
    for (const status of sets) {
      for (const min of SCALE) {
        const got = await xiaomi(', status: $status, minStatus: $min', { status, min });
        for (const f of XIAOMI_FIELDS) {
          const expected = all[f]?.edges.filter(
            (e) => (status as string[]).includes(e.status) && passes(min)(e),
          );
          expect(got[f]?.edges, `${f}(status: ${status}, minStatus: ${min})`).toEqual(expected);
        }
      }
    }
    // The rumoured office is SPECULATED: in the set, below the point.
    expect((await xiaomi(', status: [SPECULATED], minStatus: SPECULATED')).offices?.totalCount).toBe(1);
    expect((await xiaomi(', status: [SPECULATED], minStatus: STATED')).offices?.totalCount).toBe(0);
  });
});

describe('minStatus in a list where', () => {
  const companies = async (where: Record<string, unknown>) => {
    const { data, statements } = await ask(
      'query($w: CompanyWhere) { companies(where: $w) { totalCount edges { node { name } } } }',
      { w: where },
    );
    expect(statements).toHaveLength(1);
    expect(data.companies.edges).toHaveLength(data.companies.totalCount);
    return data.companies.edges.map((e: { node: { name: string } }) => e.node.name) as string[];
  };
  const allCompanies = facts.entities
    .filter((e) => e.kind === 'Company')
    .map((e) => e.name as string)
    .sort();

  it('quantifies over the edges with a quote at or above it', async () => {
    expect(await companies({ operates_SOME: { status: ['STATED'] } })).toEqual([]);
    expect(await companies({ operates_SOME: { minStatus: 'STATED' } })).toEqual(['Xiaomi']);
    expect(await companies({ operates_SOME: { minStatus: 'CONFIRMED' } })).toEqual(['Xiaomi']);
    expect(await companies({ presentIn_SOME: { minStatus: 'STATED' } })).toEqual(['Xiaomi']);
    expect(await companies({ presentIn_SOME: { minStatus: 'REPORTED' } })).toEqual([
      'Koma Trade',
      'Nanjing Youmi Electronics Technology',
      'Xiaomi',
    ]);
    expect(await companies({ presentIn_NONE: { minStatus: 'STATED' } })).toEqual(
      allCompanies.filter((n) => n !== 'Xiaomi'),
    );
    expect(
      await companies({ presentIn_SOME: { minStatus: 'STATED', node: { name: { equals: 'vietnam' } } } }),
    ).toEqual(['Xiaomi']);
  });

  it('with status, keeps what both keep', async () => {
    expect(await companies({ presentIn_SOME: { status: ['REPORTED'], minStatus: 'STATED' } })).toEqual([]);
    expect(await companies({ presentIn_SOME: { status: ['REPORTED'], minStatus: 'SPECULATED' } })).toEqual([
      'Koma Trade',
      'Nanjing Youmi Electronics Technology',
    ]);
    expect(
      await companies({ operates_SOME: { status: ['CONFIRMED', 'STATED'], minStatus: 'STATED' } }),
    ).toEqual(['Xiaomi']);
  });

  it('counts an edge with mixed quotes at the weakest of them', async () => {
    const { data } = await ask(
      '{ products(where: { manufacturedBy_SOME: { minStatus: STATED } }) { edges { node { name } } } }',
    );
    const expected = facts.relationships
      .filter(
        (r) =>
          r.type === 'MANUFACTURES' &&
          r.evidence.some((e: { status: string }) => rank(e.status.toUpperCase()) <= rank('STATED')),
      )
      .map((r) => facts.entities.find((e) => e.id === r.to)?.name)
      .sort();
    expect(data.products.edges.map((e: { node: { name: string } }) => e.node.name).sort()).toEqual(expected);
    expect(expected).toContain('Xiaomi new full-screen OLED smartphone');
  });
});

describe('minStatus on neighbourhoods and paths', () => {
  const HOOD = 'edges { id type status evidence { status } }';

  it('keeps the neighbourhood edges with a quote at or above it, in one statement', async () => {
    const levels = SCALE.map(
      (min) => `${min}: neighborhood(name: "Xiaomi", limit: 500, minStatus: ${min}) { ${HOOD} }`,
    );
    const both =
      'both: neighborhood(name: "Xiaomi", limit: 500, status: [CONFIRMED, SPECULATED], minStatus: STATED) { edges { id } }';
    const { data, statements } = await ask(
      `{ all: neighborhood(name: "Xiaomi", limit: 500) { truncated ${HOOD} } ${levels.join(' ')} ${both} }`,
    );
    expect(statements).toHaveLength(SCALE.length + 2);
    for (const s of statements) expect(s).not.toMatch(/'(confirmed|stated|reported|speculated)'/);
    expect(data.all.truncated).toBe(false);
    const all = data.all.edges as (Quoted & { id: string })[];
    // At depth 1 a filter only removes edges of the start, so the answer is the unfiltered one, filtered.
    for (const min of SCALE) expect(data[min].edges, `minStatus: ${min}`).toEqual(all.filter(passes(min)));
    expect(data.STATED.edges.some((e: Quoted) => e.status === 'CONFIRMED')).toBe(true);
    expect(data.both.edges).toEqual(all.filter((e) => e.status === 'CONFIRMED').map((e) => ({ id: e.id })));
    expect(data.both.edges).toHaveLength(1);
  });

  it('walks only edges with a quote at or above it', async () => {
    const path = async (args: string) => {
      const { data } = await ask(
        `{ path(from: "Koma Trade", to: "Samsung", ${args}) { length edges { status evidence { status } } } }`,
      );
      return data.path as { length: number; edges: Quoted[] } | null;
    };
    // Koma Trade is only REPORTED to be anywhere, so nothing from it reaches STATED.
    expect(await path('minStatus: STATED')).toBeNull();
    const reported = await path('minStatus: REPORTED');
    expect(reported?.length).toBe(2);
    expect(reported?.edges.every(passes('REPORTED'))).toBe(true);
    // Both: only REPORTED edges, so Samsung's STATED headquarters is no hop.
    const both = await path('status: [REPORTED], minStatus: SPECULATED');
    expect(both?.length).toBeGreaterThan(2);
    expect(both?.edges.every((e) => e.status === 'REPORTED')).toBe(true);
    expect(await path('status: [REPORTED], minStatus: STATED')).toBeNull();
  });

  it('follows a CONFIRMED edge at minStatus STATED, which status: [STATED] cannot', async () => {
    const { data } = await ask(`{
      set: path(from: "Xiaomi", to: "Xiaomi Korean-language website", status: [STATED]) { length }
      scale: path(from: "Xiaomi", to: "Xiaomi Korean-language website", minStatus: STATED) {
        length edges { type status }
      }
      every: allShortestPaths(from: "Xiaomi", to: "Samsung", maxHops: 3, minStatus: STATED) {
        edges { status evidence { status } }
      }
    }`);
    expect(data.set?.length ?? Number.POSITIVE_INFINITY).toBeGreaterThan(1);
    expect(data.scale).toEqual({ length: 1, edges: [{ type: 'OPERATES', status: 'CONFIRMED' }] });
    expect(data.every.length).toBeGreaterThan(0);
    for (const p of data.every) expect(p.edges.every(passes('STATED'))).toBe(true);
  });
});

describe('minStatus in stats', () => {
  it('counts the relationships at or above it', async () => {
    const { data } = await ask(`{ stats {
      all: relationships { type status count }
      stated: relationships(minStatus: STATED) { type status count }
      both: relationships(status: [STATED, REPORTED], minStatus: STATED) { type status count }
    } }`);
    const all = data.stats.all as { status: string }[];
    expect(data.stats.stated).toEqual(all.filter((r) => rank(r.status) <= rank('STATED')));
    expect(data.stats.stated.some((r: { status: string }) => r.status === 'CONFIRMED')).toBe(true);
    expect(data.stats.both).toEqual(all.filter((r) => r.status === 'STATED'));
  });
});

describe('minStatus in Cypher', () => {
  it('is the statement of the equivalent status set: one parameterised IN on r.status, no statement more', async () => {
    const shapes = [
      (f: string) =>
        `{ entity(name: "Xiaomi") { ... on Company { competesWith(${f}) { totalCount edges { node { name } } } } } }`,
      (f: string) =>
        `{ companies(where: { competesWith_SOME: { ${f} } }) { totalCount edges { node { name } } } }`,
      (f: string) => `{ neighborhood(name: "Xiaomi", depth: 2, ${f}) { nodes { name } edges { type } } }`,
      (f: string) => `{ path(from: "Koma Trade", to: "Samsung", ${f}) { length } }`,
      (f: string) => `{ allShortestPaths(from: "Koma Trade", to: "Samsung", ${f}) { length } }`,
    ];
    for (const shape of shapes) {
      const scale = await ask(shape('minStatus: STATED'));
      const set = await ask(shape('status: [CONFIRMED, STATED]'));
      const both = await ask(shape('status: [STATED, REPORTED], minStatus: STATED'));
      expect(scale.statements).toHaveLength(1);
      expect(scale.statements).toEqual(set.statements);
      expect(both.statements).toEqual(set.statements);
      expect(scale.data).toEqual(set.data);
    }
  });
});

describe('a relationship status', () => {
  it('is the strongest of its quotes, so filtering on it is filtering on the quotes', async () => {
    const rows = await db.read(async (tx) => {
      const r = await tx.run(
        "MATCH ()-[r]->() WHERE r.evidenceStatuses IS NOT NULL AND r.status <> 'retracted' RETURN r.status AS status, r.evidenceStatuses AS quotes",
      );
      return r.records.map((rec) => ({ status: rec.get('status'), quotes: rec.get('quotes') }));
    });
    expect(rows.length).toBeGreaterThan(facts.relationships.length);
    for (const row of rows) expect(row.status).toBe(strongestStatus(row.quotes));
  });
});
