import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countingDb } from './support/db.js';
import { articleFacts } from './support/facts.js';
import { gqlClient } from './support/graphql.js';
import { articlePath } from './support/paths.js';

const counting = countingDb();
const gql = gqlClient(counting);
const article = readFileSync(articlePath, 'utf8');
const facts = articleFacts();

interface Entity {
  id: string;
  key: string;
  name: string;
  __typename: string;
}
interface Edge {
  id: string;
  type: string;
  from: string;
  to: string;
  status: string;
  evidence: { quote: string; start: number; end: number; status: string }[];
}
interface Path {
  length: number;
  nodes: Entity[];
  edges: Edge[];
  hops: { from: Entity; to: Entity; edge: Edge; direction: 'FORWARD' | 'BACKWARD' }[];
}
interface Subgraph {
  nodes: Entity[];
  edges: Edge[];
  truncated: boolean;
}

const ENTITY = '{ id key name __typename }';
const EDGE = '{ id type from to status evidence { quote start end status } }';
const PATH = `{ length nodes ${ENTITY} edges ${EDGE} hops { from ${ENTITY} to ${ENTITY} edge ${EDGE} direction } }`;
const SUBGRAPH = `{ nodes ${ENTITY} edges ${EDGE} truncated }`;

const pathQuery = `query($from: String!, $to: String!, $maxHops: Int, $types: [String!], $status: [EvidenceStatus!]) {
  path(from: $from, to: $to, maxHops: $maxHops, relationshipTypes: $types, status: $status) ${PATH}
}`;
const allQuery = `query($from: String!, $to: String!, $maxHops: Int, $types: [String!], $first: Int) {
  allShortestPaths(from: $from, to: $to, maxHops: $maxHops, relationshipTypes: $types, first: $first) ${PATH}
}`;
const hoodQuery = `query($name: String!, $depth: Int, $types: [String!], $limit: Int, $status: [EvidenceStatus!]) {
  neighborhood(name: $name, depth: $depth, relationshipTypes: $types, limit: $limit, status: $status) ${SUBGRAPH}
}`;

async function path(variables: Record<string, unknown>) {
  const { body } = await gql<{ path: Path | null }>(pathQuery, variables);
  expect(body.errors).toBeUndefined();
  return body.data?.path ?? null;
}

async function paths(variables: Record<string, unknown>) {
  const { body } = await gql<{ allShortestPaths: Path[] }>(allQuery, variables);
  expect(body.errors).toBeUndefined();
  return body.data?.allShortestPaths ?? [];
}

async function hood(variables: Record<string, unknown>) {
  const { body } = await gql<{ neighborhood: Subgraph }>(hoodQuery, variables);
  expect(body.errors).toBeUndefined();
  const subgraph = body.data?.neighborhood;
  if (!subgraph) throw new Error('no neighborhood');
  return subgraph;
}

/** Every quote is the article's text at its offsets, and every edge has at least one. */
function expectEvidence(edges: Edge[]) {
  for (const edge of edges) {
    expect(edge.evidence.length, edge.id).toBeGreaterThan(0);
    for (const e of edge.evidence) expect(article.slice(e.start, e.end)).toBe(e.quote);
  }
}

/** A path is a chain: hop i goes from node i to node i+1 over edge i, its direction matching the edge. */
function expectChain(p: Path) {
  expect(p.nodes).toHaveLength(p.length + 1);
  expect(p.edges).toHaveLength(p.length);
  expect(p.hops).toHaveLength(p.length);
  p.hops.forEach((hop, i) => {
    expect(hop.from.id).toBe(p.nodes[i]?.id);
    expect(hop.to.id).toBe(p.nodes[i + 1]?.id);
    expect(hop.edge).toEqual(p.edges[i]);
    const [start, end] = hop.direction === 'FORWARD' ? [hop.from, hop.to] : [hop.to, hop.from];
    expect([hop.edge.from, hop.edge.to]).toEqual([start.id, end.id]);
  });
}

const summary = (p: Path) => ({
  length: p.length,
  nodes: p.nodes.map((n) => n.name),
  types: p.hops.map((h) => h.edge.type),
  directions: p.hops.map((h) => h.direction),
});

describe('path: from a distributor of Xiaomi to a Korean competitor of Xiaomi', () => {
  it('takes the shortest way, through the market they share, with evidence on every hop', async () => {
    const p = await path({ from: 'Koma Trade', to: 'Samsung' });
    expect(p && summary(p)).toEqual({
      length: 2,
      nodes: ['Koma Trade', 'South Korea', 'Samsung'],
      types: ['PRESENT_IN', 'HEADQUARTERED_IN'],
      directions: ['FORWARD', 'BACKWARD'],
    });
    if (!p) return;
    expectChain(p);
    expectEvidence(p.edges);
    expect(p.edges.map((e) => e.id)).toEqual([
      'company:koma-trade|PRESENT_IN|market:south-korea',
      'company:samsung|HEADQUARTERED_IN|market:south-korea',
    ]);
    expect(p.nodes.map((n) => n.__typename)).toEqual(['Company', 'Market', 'Company']);
  });

  it('goes through the products and their maker when only trade relationships count', async () => {
    const p = await path({
      from: 'koma trade',
      to: 'SAMSUNG',
      types: ['DISTRIBUTES', 'MANUFACTURES', 'COMPETES_WITH'],
    });
    expect(p && summary(p)).toEqual({
      length: 3,
      // Three products would do; the first by relationship id is the one answered, every time.
      nodes: ['Koma Trade', 'Xiaomi air purifier', 'Xiaomi', 'Samsung'],
      types: ['DISTRIBUTES', 'MANUFACTURES', 'COMPETES_WITH'],
      directions: ['FORWARD', 'BACKWARD', 'FORWARD'],
    });
    if (!p) return;
    expectChain(p);
    expectEvidence(p.edges);
    expect(p.hops[0]?.edge.evidence.map((e) => e.quote)).toContain(
      'Chúng được bán ra thị trường thông qua một số nhà phân phối địa phương như Nanjing Youmi Electronics Technology và Koma Trade.',
    );
    expect(p.hops[2]?.edge.status).toBe('STATED');
  });

  it('is null, without an error, when no path fits within maxHops', async () => {
    const { body } = await gql(pathQuery, {
      from: 'Koma Trade',
      to: 'Samsung',
      maxHops: 2,
      types: ['DISTRIBUTES', 'MANUFACTURES', 'COMPETES_WITH'],
    });
    expect(body).toEqual({ data: { path: null } });
    expect(await path({ from: 'Koma Trade', to: 'Samsung', maxHops: 1 })).toBeNull();
  });

  it('is null when the status filter removes every way there', async () => {
    // The office in Seoul is only a rumour: without speculation, Seoul is out of Xiaomi's reach.
    const p = await path({ from: 'Xiaomi', to: 'Seoul' });
    expect(p && summary(p).types).toEqual(['HAS_OFFICE', 'LOCATED_IN']);
    expect(p?.edges.map((e) => e.status)).toEqual(['SPECULATED', 'SPECULATED']);
    expect(
      await path({ from: 'Xiaomi', to: 'Seoul', status: ['STATED', 'CONFIRMED'], maxHops: 6 }),
    ).toBeNull();
  });

  it('from an entity to itself is the entity alone', async () => {
    const p = await path({ from: 'Xiaomi', to: 'Apple của Trung Quốc' });
    expect(p).toEqual({
      length: 0,
      nodes: [expect.objectContaining({ key: 'company:xiaomi' })],
      edges: [],
      hops: [],
    });
  });

  it('reaches the article through MENTIONS only when MENTIONS is asked for', async () => {
    const title = "After China and Vietnam, Xiaomi attacks Samsung's homeland";
    const direct = await path({ from: 'Koma Trade', to: title, types: ['MENTIONS'] });
    expect(direct && summary(direct)).toEqual({
      length: 1,
      nodes: ['Koma Trade', title],
      types: ['MENTIONS'],
      directions: ['BACKWARD'],
    });
    // By default the article is reached only through the reporter who wrote it.
    const p = await path({ from: 'Koma Trade', to: title, maxHops: 6 });
    expect(p?.length).toBeGreaterThan(1);
    expect(p?.edges.map((e) => e.type)).not.toContain('MENTIONS');
    expect(p?.edges.at(-1)?.type).toBe('WROTE');
  });
});

describe('allShortestPaths', () => {
  const trade = ['DISTRIBUTES', 'MANUFACTURES'];

  it('gives every equally short path, in a stable order', async () => {
    const all = await paths({ from: 'Koma Trade', to: 'Xiaomi', types: trade });
    expect(all.map(summary)).toEqual(
      ['Xiaomi air purifier', 'Xiaomi power booster', 'Xiaomi smart power charger'].map((product) => ({
        length: 2,
        nodes: ['Koma Trade', product, 'Xiaomi'],
        types: ['DISTRIBUTES', 'MANUFACTURES'],
        directions: ['FORWARD', 'BACKWARD'],
      })),
    );
    for (const p of all) {
      expectChain(p);
      expectEvidence(p.edges);
    }
    expect(await paths({ from: 'Koma Trade', to: 'Xiaomi', types: trade })).toEqual(all);
  });

  it('respects first', async () => {
    const two = await paths({ from: 'Koma Trade', to: 'Xiaomi', types: trade, first: 2 });
    expect(two.map((p) => p.nodes[1]?.name)).toEqual(['Xiaomi air purifier', 'Xiaomi power booster']);
  });

  it('is empty when nothing is within maxHops', async () => {
    expect(await paths({ from: 'Koma Trade', to: 'Xiaomi', types: trade, maxHops: 1 })).toEqual([]);
  });

  it('agrees with path on the first one', async () => {
    const [first] = await paths({ from: 'Koma Trade', to: 'Samsung' });
    expect(first).toEqual(await path({ from: 'Koma Trade', to: 'Samsung' }));
  });
});

describe('neighborhood', () => {
  const xiaomiFacts = facts.relationships.filter(
    (r: { from: string; to: string }) => r.from === 'company:xiaomi' || r.to === 'company:xiaomi',
  );

  it('of Xiaomi at depth 1 is every fact about Xiaomi, with evidence, and no article', async () => {
    const s = await hood({ name: 'Xiaomi' });
    expect(s.truncated).toBe(false);
    expect(s.nodes[0]?.key).toBe('company:xiaomi');
    expect(s.edges).toHaveLength(xiaomiFacts.length);
    expect(s.edges.map((e) => e.type)).not.toContain('MENTIONS');
    expect(s.nodes.map((n) => n.__typename)).not.toContain('Article');
    expect(s.edges.map((e) => e.id)).toEqual([...s.edges.map((e) => e.id)].sort());
    expect(s.nodes.map((n) => n.name)).toEqual(
      expect.arrayContaining(['Samsung', 'LG', 'Apple', 'South Korea']),
    );
    expectEvidence(s.edges);
  });

  it('includes the article when MENTIONS is asked for', async () => {
    const s = await hood({ name: 'Xiaomi', types: ['MENTIONS', 'COMPETES_WITH'] });
    expect(s.edges.map((e) => e.type).sort()).toEqual([
      'COMPETES_WITH',
      'COMPETES_WITH',
      'COMPETES_WITH',
      'MENTIONS',
    ]);
    expect(s.nodes.map((n) => n.key)).toContain('article:xiaomi-korea-vi');
  });

  it('has no dangling edges, and Edge.from/to are the ids of nodes in the same answer', async () => {
    for (const depth of [1, 2, 3]) {
      for (const limit of [7, 100, 500]) {
        const s = await hood({ name: 'Koma Trade', depth, limit });
        const ids = new Set(s.nodes.map((n) => n.id));
        expect(ids.size).toBe(s.nodes.length);
        expect(new Set(s.edges.map((e) => e.id)).size).toBe(s.edges.length);
        for (const e of s.edges) {
          expect(ids.has(e.from), `${e.id} from`).toBe(true);
          expect(ids.has(e.to), `${e.id} to`).toBe(true);
        }
        expect(s.nodes[0]?.key).toBe('company:koma-trade');
      }
    }
  });

  it('says truncated when cut at its limit, with exactly limit edges', async () => {
    const cut = await hood({ name: 'Xiaomi', depth: 2, limit: 5 });
    expect(cut.truncated).toBe(true);
    expect(cut.edges).toHaveLength(5);
    const full = await hood({ name: 'Xiaomi', depth: 2, limit: 500 });
    expect(full.truncated).toBe(false);
    expect(full.edges.length).toBeGreaterThan(xiaomiFacts.length);
    // The cut keeps the nearest edges, in the same order as the full answer.
    expect(cut.edges).toEqual(full.edges.slice(0, 5));
  });

  it('is not truncated when the limit is exactly what there is', async () => {
    const s = await hood({ name: 'Xiaomi', limit: xiaomiFacts.length });
    expect(s).toMatchObject({ truncated: false });
    expect(s.edges).toHaveLength(xiaomiFacts.length);
    const short = await hood({ name: 'Xiaomi', limit: xiaomiFacts.length - 1 });
    expect(short.truncated).toBe(true);
  });

  it('orders edges nearest first, and answers the same twice', async () => {
    const s = await hood({ name: 'Koma Trade', depth: 2 });
    const koma = s.nodes[0]?.id;
    const level1 = s.edges.filter((e) => e.from === koma || e.to === koma);
    expect(level1).toHaveLength(4);
    expect(s.edges.length).toBeGreaterThan(level1.length);
    expect(s.edges.slice(0, level1.length)).toEqual(level1);
    expect(await hood({ name: 'Koma Trade', depth: 2 })).toEqual(s);
  });

  it('drops the speculated office when only STATED and CONFIRMED count', async () => {
    const all = await hood({ name: 'Xiaomi' });
    expect(all.edges.map((e) => e.type)).toContain('HAS_OFFICE');
    const sure = await hood({ name: 'Xiaomi', status: ['STATED', 'CONFIRMED'] });
    expect(sure.edges.map((e) => e.type)).not.toContain('HAS_OFFICE');
    expect(sure.nodes.map((n) => n.__typename)).not.toContain('Office');
    expect(new Set(sure.edges.map((e) => e.status))).toEqual(new Set(['STATED', 'CONFIRMED']));
  });

  it('costs one statement, however deep and however many nodes, the name lookups included', async () => {
    counting.statements = 0;
    const s = await hood({ name: 'Xiaomi', depth: 3, limit: 500 });
    expect(s.nodes.length).toBeGreaterThan(20);
    expect(counting.statements).toBe(1);
    counting.statements = 0;
    await path({ from: 'Koma Trade', to: 'Samsung' });
    expect(counting.statements).toBe(1);
  });
});

describe('errors', () => {
  const errorOf = async (query: string) => {
    const { status, body } = await gql(query);
    expect(status).toBe(200);
    expect(body.errors).toHaveLength(1);
    return body.errors?.[0];
  };

  it.each([
    ['path', '{ path(from: "Koma Trade", to: "Narnia") { length } }'],
    ['allShortestPaths', '{ allShortestPaths(from: "Narnia", to: "Samsung") { length } }'],
    ['neighborhood', '{ neighborhood(name: "Narnia") { truncated } }'],
  ])('%s names the endpoint that matches nothing, NOT_FOUND', async (field, query) => {
    const error = await errorOf(query);
    expect(error).toMatchObject({
      message: 'No entity matches "Narnia".',
      path: [field],
      extensions: { code: 'NOT_FOUND', term: 'Narnia' },
    });
  });

  it.each([
    '{ path(from: "Xiaomi", to: "Samsung", relationshipTypes: ["COMPETES_WITH", "SPONSORS"]) { length } }',
    '{ allShortestPaths(from: "Xiaomi", to: "Samsung", relationshipTypes: ["SPONSORS"]) { length } }',
    '{ neighborhood(name: "Xiaomi", relationshipTypes: ["SPONSORS"]) { truncated } }',
  ])(
    'an unknown relationship type is BAD_USER_INPUT naming relationshipTypes and the value: %s',
    async (q) => {
      const error = await errorOf(q);
      expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'relationshipTypes' });
      expect(error?.message).toContain('"SPONSORS"');
    },
  );

  it('never lets a relationship type reach the query text', async () => {
    const error = await errorOf(
      '{ neighborhood(name: "Xiaomi", relationshipTypes: ["COMPETES_WITH]-() DETACH DELETE n //"]) { truncated } }',
    );
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((await hood({ name: 'Xiaomi' })).edges.length).toBeGreaterThan(0);
  });

  it.each([
    ['neighborhood(name: "Xiaomi", depth: 0) { truncated }', 'depth'],
    ['neighborhood(name: "Xiaomi", depth: 4) { truncated }', 'depth'],
    ['neighborhood(name: "Xiaomi", limit: 0) { truncated }', 'limit'],
    ['neighborhood(name: "Xiaomi", limit: 501) { truncated }', 'limit'],
    ['path(from: "Xiaomi", to: "Samsung", maxHops: 0) { length }', 'maxHops'],
    ['path(from: "Xiaomi", to: "Samsung", maxHops: 7) { length }', 'maxHops'],
    ['allShortestPaths(from: "Xiaomi", to: "Samsung", maxHops: 7) { length }', 'maxHops'],
    ['allShortestPaths(from: "Xiaomi", to: "Samsung", first: 0) { length }', 'first'],
    ['allShortestPaths(from: "Xiaomi", to: "Samsung", first: 21) { length }', 'first'],
  ])('out of bounds: %s is BAD_USER_INPUT naming %s', async (field, argument) => {
    const error = await errorOf(`{ ${field} }`);
    expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    expect(error?.message).toMatch(new RegExp(`^${argument} must be between \\d+ and \\d+, got -?\\d+\\.$`));
  });
});
