import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { countingDb } from './support/db.js';
import { gqlClient } from './support/graphql.js';

const db = countingDb();
const logged: unknown[] = [];
const gql = gqlClient(db, logged);

const sent = async (query: string, variables?: Record<string, unknown>) => {
  db.sent = [];
  const { body } = await gql(query, variables);
  return { body, statements: db.sent };
};

/**
 * A selection answered from one planned statement must be what the field resolvers answer on their own, one
 * loader at a time: `node(id:)` is not planned, so the same selection under it takes the slow way.
 */
describe('planned and unplanned answers agree', () => {
  const selection = `
    key name
    ... on Company {
      aliases
      sure: competesWith(first: 2, status: [STATED, CONFIRMED]) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor id type status node { name ... on Company { manufactures(first: 3) { totalCount edges { node { name category priceUpToUsd } } } } } }
      }
      all: competesWith(first: 10) { edges { node { key } evidence { quote start end status } } }
      offices { edges { node { name ...place } status evidence { quote status } } }
      firm: manufactures(first: 10, status: [STATED, REPORTED], minStatus: STATED) {
        totalCount edges { node { name } status evidence { quote status } }
      }
      surest: competesWith(minStatus: STATED) {
        totalCount edges { node { name ... on Company { made(minStatus: STATED) { totalCount } said: made { totalCount } } } }
      }
      manufactures(first: 4, after: $after) {
        totalCount
        edges { node { name distributedBy(market: $market, first: 5) { totalCount edges { node { name } market { name nameVi } status } } } }
      }
    }`;
  const fragment = 'fragment place on Office { officeType locatedIn { edges { node { name } } } }';

  it.each([
    ['Xiaomi', 'Korea', null],
    ['Xiaomi', 'Hàn Quốc', 'eyJvIjoyfQ'],
    ['Samsung', 'KR', null],
  ])('for %s in %s, after %s', async (name, market, after) => {
    const byName = await sent(
      `query($name: String!, $market: String, $after: String) { entity(name: $name) { ${selection} } } ${fragment}`,
      { name, market, after },
    );
    expect(byName.body.errors).toBeUndefined();
    expect(byName.statements).toHaveLength(1);
    const id = encodeGlobalID('Company', `company:${name.toLowerCase()}`);
    const byId = await sent(
      `query($id: ID!, $market: String, $after: String) { node(id: $id) { ... on Entity { ${selection} } } } ${fragment}`,
      { id, market, after },
    );
    expect(byId.body.errors).toBeUndefined();
    expect(byId.statements.length).toBeGreaterThan(3);
    expect(byName.body.data?.entity).toEqual(byId.body.data?.node);
    if (name === 'Xiaomi') {
      // minStatus cut something at both levels, so the comparison above is not between two unfiltered answers.
      const xiaomi = byName.body.data?.entity;
      expect(xiaomi.firm.totalCount).toBe(3);
      const samsung = xiaomi.surest.edges.find((e: { node: { name: string } }) => e.node.name === 'Samsung');
      expect(samsung.node).toMatchObject({ made: { totalCount: 0 }, said: { totalCount: 2 } });
    }
    expect(JSON.stringify(byName.body.data)).toContain('"totalCount"');
  });
});

describe('a planned statement', () => {
  it('reads only what the selection asks for', async () => {
    const names = await sent(
      '{ distributors(brand: "Xiaomi", market: "Korea") { name distributes { edges { node { name } } } } }',
    );
    expect(names.statements).toHaveLength(1);
    expect(names.statements[0]).not.toMatch(/evidence|description|aliases|\.\*/);
    const quotes = await sent(
      '{ distributors(brand: "Xiaomi", market: "Korea") { name distributes { edges { evidence { quote } } } } }',
    );
    expect(quotes.statements[0]).toMatch(/\.evidenceQuotes/);
    expect(quotes.statements[0]).not.toMatch(/evidenceStarts|evidenceArticles/);
    const hood = await sent(
      '{ neighborhood(name: "Koma Trade", depth: 2) { nodes { name } edges { type } } }',
    );
    expect(hood.statements).toHaveLength(1);
    expect(hood.statements[0]).not.toMatch(/evidence/);
    const text = await sent('{ entity(name: "Xiaomi") { name } }');
    expect(text.statements[0]).not.toMatch(/\.text\b/);
  });

  it('reports a name given to a nested field that means nothing at that field', async () => {
    const { body, statements } = await sent(`{
      entity(name: "Xiaomi") {
        name
        ... on Company {
          products: manufactures(first: 1) {
            edges { node { name distributedBy(market: "Narnia") { totalCount } } }
          }
        }
      }
    }`);
    // The question is one statement; a name found in it to mean nothing costs one more, the search for the
    // names the user probably meant (none here).
    expect(statements).toHaveLength(2);
    expect(statements[1]).toMatch(/db\.index\.fulltext\.queryNodes/);
    // The connection is non-null, so the error nulls the nearest nullable field above it, as GraphQL says.
    expect(body.data).toEqual({ entity: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      message: 'No market matches "Narnia".',
      path: ['entity', 'products', 'edges', 0, 'node', 'distributedBy'],
      extensions: { code: 'NOT_FOUND', term: 'Narnia' },
    });
  });

  it('resolves every name of a where filter in the statement that lists', async () => {
    const { body, statements } = await sent(
      '{ companies(where: { distributes_SOME: { brand: "xiaomi", market: "han quoc" } }) { totalCount edges { node { name } } } }',
    );
    expect(statements).toHaveLength(1);
    expect(body.data?.companies).toEqual({
      totalCount: 2,
      edges: [{ node: { name: 'Koma Trade' } }, { node: { name: 'Nanjing Youmi Electronics Technology' } }],
    });
    const unknown = await sent(
      '{ companies(where: { distributes_SOME: { market: "Atlantis" } }) { totalCount } }',
    );
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', term: 'Atlantis' });
  });

  it('leaves to the field resolver what it cannot see through, which reports the same errors as before', async () => {
    const { body } = await sent(
      '{ entity(name: "Xiaomi") { ... on Company { competesWith(first: 500) { totalCount } } } }',
    );
    expect(body.errors?.[0]).toMatchObject({
      path: ['entity', 'competesWith'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
    });
    expect(logged).toEqual([]);
  });
});
