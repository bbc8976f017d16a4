/**
 * The floor: a bare node:http handler that answers each question of the mix with one hand-written Cypher
 * statement through one shared neo4j-driver. No GraphQL, no validation beyond reading the JSON body, no
 * logging: what is left is the cost of Neo4j, the driver and HTTP. Names are resolved through NameKey in the
 * same statement, so it answers the same questions marketgraph does.
 * Run as a child of the bench (bench/servers.ts): env NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE,
 * HOST, PORT.
 */
import { createServer } from 'node:http';
import neo4j from 'neo4j-driver';
import type { EntityKind } from '../src/graph/model.js';
import { foldName } from '../src/graph/names.js';
import {
  bestSpelling,
  luceneQuery,
  SEARCH_CANDIDATES,
  SEARCH_CYPHER,
  searchWords,
} from '../src/graph/search.js';
import { NEIGHBORHOOD_FROM_S, PATH_FROM_A_B } from './peer-schema.js';

type Params = Record<string, unknown>;
type Row = { get(key: string): unknown };

interface Question {
  cypher: string;
  params(body: Params): Params;
  answer(rows: Row[], body: Params): unknown;
}

/** The entity a folded spelling means, its own name first, as marketgraph picks it. */
const resolve = (key: string, variable: string, label = 'Entity', carry: string[] = []) =>
  `MATCH (:NameKey {key: $${key}})-[:NAMES]->(${variable}:${label})
   WITH ${[...carry, variable].join(', ')}
   ORDER BY ${variable}.sortName = $${key} DESC, ${variable}.sortName, ${variable}.id LIMIT 1`;

const text = (v: unknown) => String(v ?? '');
const int = (v: unknown, fallback: number) => neo4j.int(Number.isInteger(v) ? Number(v) : fallback);

const QUESTIONS: Record<string, Question> = {
  entity: {
    cypher: `${resolve('key', 'n')} RETURN n {.kind, .name, .nameVi, .aliases} AS entity`,
    params: (b) => ({ key: foldName(text(b.name)) }),
    answer: (rows) => ({ entity: rows[0]?.get('entity') ?? null }),
  },
  distributors: {
    cypher: `${resolve('brand', 'b', 'Company')}
      ${resolve('market', 'm', 'Market', ['b'])}
      MATCH (b)-[:MANUFACTURES]->(:Product)<-[:DISTRIBUTES {market: m.id}]-(c:Company)
      WITH DISTINCT c ORDER BY c.sortName, c.id
      RETURN collect(c.name) AS names`,
    params: (b) => ({ brand: foldName(text(b.brand)), market: foldName(text(b.market)) }),
    answer: (rows) => ({ names: rows[0]?.get('names') ?? [] }),
  },
  'company-products': {
    cypher: `${resolve('key', 'c', 'Company')}
      CALL (c) {
        MATCH (c)-[:MANUFACTURES]->(p:Entity)
        WITH p ORDER BY p.sortName, p.id
        RETURN count(p) AS total, collect(p)[..$first] AS page
      }
      UNWIND page AS p
      CALL (p) {
        MATCH (p)<-[r:DISTRIBUTES]-(d:Entity)
        WITH r, d ORDER BY d.sortName, d.id LIMIT $first
        RETURN collect(d.name + '|' + r.market + '|' + r.status) AS distributors
      }
      RETURN c.name AS name, total, collect({name: p.name, distributors: distributors}) AS products`,
    params: (b) => ({ key: foldName(text(b.name)), first: int(b.first, 10) }),
    answer: (rows) => {
      const r = rows[0];
      return r ? { name: r.get('name'), total: r.get('total'), products: r.get('products') } : {};
    },
  },
  search: {
    cypher: SEARCH_CYPHER,
    params: (b) => {
      const words = searchWords(text(b.text));
      return {
        query: luceneQuery(words),
        text: words.join(' '),
        kinds: null,
        first: int(b.first, 10),
        candidates: neo4j.int(SEARCH_CANDIDATES),
      };
    },
    answer: (rows, b) => ({
      hits: rows.map((r) => {
        const p = (r.get('n') as { properties: Record<string, unknown> }).properties;
        const entity = {
          id: text(p.id),
          name: text(p.name),
          nameVi: (p.nameVi as string | undefined) ?? null,
          aliases: (p.aliases as string[] | undefined) ?? [],
        };
        return {
          name: entity.name,
          kind: text(p.kind),
          score: r.get('score'),
          matched: bestSpelling(
            { ...entity, kind: p.kind as EntityKind, description: null, sortName: '', props: p },
            text(b.text),
            r.get('key') as string | null,
          ),
        };
      }),
    }),
  },
  neighborhood: {
    cypher: `${resolve('key', 's')}${NEIGHBORHOOD_FROM_S}`,
    params: (b) => ({ key: foldName(text(b.name)), limit: int(b.limit, 100) }),
    answer: (rows) => ({ subgraph: rows[0]?.get('subgraph') ?? null }),
  },
  path: {
    cypher: `${resolve('from', 'a')} ${resolve('to', 'b', 'Entity', ['a'])}${PATH_FROM_A_B}`,
    params: (b) => ({ from: foldName(text(b.from)), to: foldName(text(b.to)) }),
    answer: (rows) => ({ path: rows[0]?.get('path') ?? null }),
  },
  companies: {
    cypher: `CALL () {
        MATCH (n:Entity {kind: 'Company'}) WHERE $contains IS NULL OR n.sortName CONTAINS $contains
        RETURN count(n) AS total
      }
      CALL () {
        MATCH (n:Entity {kind: 'Company'}) WHERE $contains IS NULL OR n.sortName CONTAINS $contains
        WITH n ORDER BY n.sortName, n.id LIMIT $first + 1
        RETURN collect(n.name) AS names
      }
      RETURN total, names`,
    params: (b) => ({
      contains: b.contains === undefined ? null : foldName(text(b.contains)),
      first: int(b.first, 10),
    }),
    answer: (rows, b) => {
      const first = Number(b.first ?? 10);
      const names = (rows[0]?.get('names') ?? []) as string[];
      return {
        total: rows[0]?.get('total') ?? 0,
        names: names.slice(0, first),
        hasNextPage: names.length > first,
      };
    },
  },
};

const env = process.env;
const driver = neo4j.driver(
  env.NEO4J_URI ?? '',
  neo4j.auth.basic(env.NEO4J_USER ?? 'neo4j', env.NEO4J_PASSWORD ?? ''),
  {
    disableLosslessIntegers: true,
  },
);
const database = env.NEO4J_DATABASE ?? 'neo4j';

const server = createServer((req, res) => {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.url === '/health') return send(200, { ok: true });
  const question = req.method === 'POST' ? QUESTIONS[req.url?.replace(/^\/q\//, '') ?? ''] : undefined;
  if (!question) return send(404, { error: 'no such question' });
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let body: Params;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Params;
    } catch {
      return send(400, { error: 'bad JSON' });
    }
    // One statement per question in an auto-commit read: one round trip, as marketgraph's readOne does.
    const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
    session
      .run(question.cypher, question.params(body))
      .then(
        (result) => send(200, question.answer(result.records, body)),
        (err: Error) => send(500, { error: err.message }),
      )
      .finally(() => session.close());
  });
});

server.listen(Number(env.PORT ?? 0), env.HOST ?? '127.0.0.1', () => {
  console.log(`driver floor serving http://${env.HOST ?? '127.0.0.1'}:${env.PORT}/q/`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    driver.close().finally(() => process.exit(0));
  });
}
