/**
 * The query mix, asked of each server in its own terms, and how to reduce each answer to the same set of facts
 * so answers can be compared across servers. marketgraph takes names in any spelling; the driver floor resolves
 * them through NameKey in its single statement; the Neo4j GraphQL Library starts from facts ids (its
 * documented `where` on an indexed property) or, where a name is the question, from the folded spelling.
 */
import { luceneQuery, searchWords } from '../src/graph/search.js';

export const SERVERS = ['marketgraph', 'neo4j-graphql', 'driver'] as const;
export type ServerName = (typeof SERVERS)[number];

/** What one server is sent for one query: a path and a JSON body. */
export interface HttpRequest {
  path: string;
  body: string;
}

type Json = Record<string, unknown>;
type Normalise = (data: Json) => unknown;

export interface MixQuery {
  name: string;
  title: string;
  marketgraph: { request: HttpRequest; normalise: Normalise };
  'neo4j-graphql': { request: HttpRequest; normalise: Normalise } | null;
  driver: { request: HttpRequest; normalise: Normalise };
  /** Why the peer's answer is not compared (or cannot be asked); shown in the report. */
  peerNote?: string;
  /** The peer answers, but in its own ranking: its answers are measured, not compared. */
  peerNotCompared?: boolean;
}

const graphql = (query: string, variables?: Json): HttpRequest => ({
  path: '/graphql',
  body: JSON.stringify(variables ? { query, variables } : { query }),
});
const floor = (name: string, params: Json): HttpRequest => ({
  path: `/q/${name}`,
  body: JSON.stringify(params),
});

// Small readers over untyped JSON: a missing field reads as undefined and shows up as a mismatch.
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const lower = (v: unknown): string => str(v).toLowerCase();
const sorted = (xs: string[]): string[] => [...xs].sort();
const quotes = (evidence: unknown): string =>
  arr(evidence)
    .map((e) => str(obj(e).quote))
    .join(' / ');

/** marketgraph's ids are Relay global ids, base64 of "Kind:key"; the others answer with the key itself. */
export function keyOfGlobalId(id: unknown): string {
  const decoded = Buffer.from(str(id), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(colon + 1) : str(id);
}

const entityFacts = (e: Json) => ({
  kind: str(e.kind ?? e.__typename),
  name: str(e.name),
  nameVi: str(e.nameVi),
  aliases: sorted(arr(e.aliases).map(str)),
});

const listFacts = (c: Json) => ({
  total: Number(c.totalCount ?? c.total),
  names: arr(c.edges ?? c.names).map((e) => (typeof e === 'string' ? e : str(obj(obj(e).node).name))),
  hasNextPage: Boolean(obj(c.pageInfo).hasNextPage ?? c.hasNextPage),
});

const edgeFact = (type: unknown, from: string, to: string, status: unknown, evidence: unknown) =>
  `${str(type)}|${from}|${to}|${lower(status)}|${quotes(evidence)}`;

const subgraphFacts = (s: Json, key: (id: unknown) => string) => ({
  nodes: sorted(arr(s.nodes).map((n) => key(obj(n).id))),
  edges: sorted(
    arr(s.edges).map((e) => {
      const o = obj(e);
      return edgeFact(o.type, key(o.from), key(o.to), o.status, o.evidence);
    }),
  ),
  truncated: Boolean(s.truncated),
});

const pathFacts = (p: unknown) => {
  if (p === null || p === undefined) return null;
  const o = obj(p);
  return {
    length: Number(o.length),
    hops: arr(o.hops).map((h) => {
      const hop = obj(h);
      const edge = obj(hop.edge);
      return edgeFact(edge.type, str(obj(hop.from).name), str(obj(hop.to).name), edge.status, edge.evidence);
    }),
  };
};

const productsFacts = (company: Json, products: unknown[], total: unknown) => ({
  name: str(company.name),
  total: Number(total),
  products: products
    .map((p) => {
      const o = obj(p);
      return { name: str(o.name), distributors: sorted(arr(o.distributors).map(str)) };
    })
    .sort((a, b) => a.name.localeCompare(b.name)),
});

const SEARCH_TEXT = 'xiao';
const SORT_BY_NAME = '[{ sortName: ASC }, { id: ASC }]';
const SORT_NODES_BY_NAME = '[{ node: { sortName: ASC } }, { node: { id: ASC } }]';

export const MIX: MixQuery[] = [
  {
    name: 'entity',
    title: 'entity by name or alias',
    marketgraph: {
      request: graphql('{ entity(name: "han quoc") { __typename name nameVi aliases } }'),
      normalise: (d) => entityFacts(obj(d.entity)),
    },
    'neo4j-graphql': {
      request: graphql('{ entityByKey(key: "han quoc") { kind name nameVi aliases } }'),
      normalise: (d) => entityFacts(obj(d.entityByKey)),
    },
    driver: { request: floor('entity', { name: 'han quoc' }), normalise: (d) => entityFacts(obj(d.entity)) },
    peerNote:
      'no folded name or alias lookup: a @cypher field through NameKey, sent the folded spelling (Cypher cannot strip diacritics)',
  },
  {
    name: 'distributors',
    title: 'headline: distributors of Xiaomi in Korea',
    marketgraph: {
      request: graphql('{ distributors(brand: "Xiaomi", market: "Korea") { name } }'),
      normalise: (d) => arr(d.distributors).map((c) => str(obj(c).name)),
    },
    'neo4j-graphql': {
      request: graphql(
        `{ companies(where: { distributesConnection: { some: { edge: { market: { eq: "market:south-korea" } }, node: { manufacturedBy: { some: { id: { eq: "company:xiaomi" } } } } } } }, sort: ${SORT_BY_NAME}) { name } }`,
      ),
      normalise: (d) => arr(d.companies).map((c) => str(obj(c).name)),
    },
    driver: {
      request: floor('distributors', { brand: 'Xiaomi', market: 'Korea' }),
      normalise: (d) => arr(d.names).map(str),
    },
    peerNote: 'native relationship filters, starting from facts ids',
  },
  {
    name: 'company-products',
    title: 'company → products → distributors (two levels)',
    marketgraph: {
      request: graphql(
        '{ entity(name: "Xiaomi") { ... on Company { name manufactures(first: 10) { totalCount edges { node { name distributedBy(first: 10) { edges { node { name } market { key name } status } } } } } } } }',
      ),
      normalise: (d) => {
        const c = obj(d.entity);
        const m = obj(c.manufactures);
        const products = arr(m.edges).map((e) => {
          const node = obj(obj(e).node);
          return {
            name: node.name,
            distributors: arr(obj(node.distributedBy).edges).map((x) => {
              const o = obj(x);
              return `${str(obj(o.node).name)}|${str(obj(o.market).key)}|${lower(o.status)}`;
            }),
          };
        });
        return productsFacts(c, products, m.totalCount);
      },
    },
    'neo4j-graphql': {
      request: graphql(
        `{ companies(where: { id: { eq: "company:xiaomi" } }) { name manufacturesConnection(first: 10, sort: ${SORT_NODES_BY_NAME}) { totalCount edges { node { name distributedByConnection(first: 10, sort: ${SORT_NODES_BY_NAME}) { edges { node { name } properties { market status } } } } } } } }`,
      ),
      normalise: (d) => {
        const c = obj(arr(d.companies)[0]);
        const m = obj(c.manufacturesConnection);
        const products = arr(m.edges).map((e) => {
          const node = obj(obj(e).node);
          return {
            name: node.name,
            distributors: arr(obj(node.distributedByConnection).edges).map((x) => {
              const o = obj(x);
              const p = obj(o.properties);
              return `${str(obj(o.node).name)}|${str(p.market)}|${lower(p.status)}`;
            }),
          };
        });
        return productsFacts(c, products, m.totalCount);
      },
    },
    driver: {
      request: floor('company-products', { name: 'Xiaomi' }),
      normalise: (d) => productsFacts(obj(d), arr(d.products), d.total),
    },
    peerNote:
      'native connections; the market of a distribution is its id (a property, not a node it can follow)',
  },
  {
    name: 'search',
    title: 'search "xiao", first 10',
    marketgraph: {
      request: graphql(
        `{ search(text: "${SEARCH_TEXT}", first: 10) { score matched entity { name kind } } }`,
      ),
      normalise: (d) =>
        arr(d.search).map((h) => `${str(obj(obj(h).entity).name)}|${str(obj(obj(h).entity).kind)}`),
    },
    'neo4j-graphql': {
      request: graphql(
        'query ($phrase: String!) { searchNameKeys(phrase: $phrase, first: 10, sort: [{ score: DESC }]) { edges { score node { names { name kind } } } } }',
        { phrase: luceneQuery(searchWords(SEARCH_TEXT)) },
      ),
      normalise: (d) =>
        arr(obj(d.searchNameKeys).edges).flatMap((e) =>
          arr(obj(obj(e).node).names).map((n) => `${str(obj(n).name)}|${str(obj(n).kind)}`),
        ),
    },
    driver: {
      request: floor('search', { text: SEARCH_TEXT, first: 10 }),
      normalise: (d) => arr(d.hits).map((h) => `${str(obj(h).name)}|${str(obj(h).kind)}`),
    },
    peerNotCompared: true,
    peerNote:
      '@fulltext over the same index (folded spellings) and the same Lucene query, ranked by Lucene score alone, a spelling at a time: it cannot rank by how much of the text and of a spelling a hit explains, so its answers are not compared',
  },
  {
    name: 'neighborhood',
    title: '2-hop neighbourhood, limit 100',
    marketgraph: {
      request: graphql(
        '{ neighborhood(name: "Koma Trade", depth: 2, limit: 100) { nodes { id name } edges { type from to status evidence { quote } } truncated } }',
      ),
      normalise: (d) => subgraphFacts(obj(d.neighborhood), keyOfGlobalId),
    },
    'neo4j-graphql': {
      request: graphql(
        '{ neighborhood(key: "company:koma-trade", limit: 100) { nodes { id name } edges { type from to status evidence { quote } } truncated } }',
      ),
      normalise: (d) => subgraphFacts(obj(d.neighborhood), str),
    },
    driver: {
      request: floor('neighborhood', { name: 'Koma Trade', limit: 100 }),
      normalise: (d) => subgraphFacts(obj(d.subgraph), str),
    },
    peerNote:
      'a @cypher field: nested selections cannot express "every relationship type, both directions, at most 100 edges, nearest first"',
  },
  {
    name: 'path',
    title: 'shortest path Koma Trade → Samsung',
    marketgraph: {
      request: graphql(
        '{ path(from: "Koma Trade", to: "Samsung") { length hops { from { name } to { name } edge { type status evidence { quote } } } } }',
      ),
      normalise: (d) => pathFacts(d.path),
    },
    'neo4j-graphql': {
      request: graphql(
        '{ path(from: "company:koma-trade", to: "company:samsung") { length hops { from { name } to { name } edge { type status evidence { quote } } } } }',
      ),
      normalise: (d) => pathFacts(d.path),
    },
    driver: {
      request: floor('path', { from: 'Koma Trade', to: 'Samsung' }),
      normalise: (d) => pathFacts(d.path),
    },
    peerNote: 'a @cypher field: the library has no path query',
  },
  {
    name: 'companies-filtered',
    title: 'companies whose name contains "trade", first 10, with total',
    marketgraph: {
      request: graphql(
        '{ companies(first: 10, where: { name: { contains: "trade" } }, orderBy: NAME_ASC) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }',
      ),
      normalise: (d) => listFacts(obj(d.companies)),
    },
    'neo4j-graphql': {
      request: graphql(
        `{ companiesConnection(first: 10, where: { sortName: { contains: "trade" } }, sort: ${SORT_BY_NAME}) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`,
      ),
      normalise: (d) => listFacts(obj(d.companiesConnection)),
    },
    driver: {
      request: floor('companies', { contains: 'trade', first: 10 }),
      normalise: (d) => listFacts(obj(d)),
    },
    peerNote: 'native CONTAINS on the folded name (sortName); aliases are a list it can only match whole',
  },
  {
    name: 'companies-page',
    title: 'first 10 companies, with total',
    marketgraph: {
      request: graphql(
        '{ companies(first: 10) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }',
      ),
      normalise: (d) => listFacts(obj(d.companies)),
    },
    'neo4j-graphql': {
      request: graphql(
        `{ companiesConnection(first: 10, sort: ${SORT_BY_NAME}) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`,
      ),
      normalise: (d) => listFacts(obj(d.companiesConnection)),
    },
    driver: { request: floor('companies', { first: 10 }), normalise: (d) => listFacts(obj(d)) },
    peerNote: 'native connection with totalCount',
  },
];

export interface Answer {
  ok: boolean;
  /** The normalised facts, or the error text when !ok. */
  facts: unknown;
}

/** Reads one HTTP answer: GraphQL `{data, errors}` from the GraphQL servers, `{...}` or `{error}` from the floor. */
export function readAnswer(server: ServerName, query: MixQuery, status: number, body: string): Answer {
  let json: Json;
  try {
    json = obj(JSON.parse(body));
  } catch {
    return { ok: false, facts: `HTTP ${status}: ${body.slice(0, 200)}` };
  }
  const spec = query[server];
  if (!spec) return { ok: false, facts: 'not asked' };
  if (status !== 200 || json.errors || json.error) {
    return { ok: false, facts: `HTTP ${status}: ${JSON.stringify(json.errors ?? json.error).slice(0, 300)}` };
  }
  const data = server === 'driver' ? json : obj(json.data);
  return { ok: true, facts: spec.normalise(data) };
}

/** A response counts as an error when it is not a 200 or carries errors; cheap enough to run on every response. */
export function isErrorResponse(status: number, body: string): boolean {
  return (
    status !== 200 ||
    body.startsWith('{"errors"') ||
    body.includes('"errors":[') ||
    body.startsWith('{"error"')
  );
}
