import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededDb } from './support/db.js';
import { type GqlResponse, gqlClient } from './support/graphql.js';
import { articlePath } from './support/paths.js';

const logged: unknown[] = [];
const gql = gqlClient(seededDb(), logged);
const article = readFileSync(articlePath, 'utf8');

describe('who distributes Xiaomi in Korea?', () => {
  const spellings = ['South Korea', 'Korea', 'Hàn Quốc', 'han quoc', 'HAN QUOC', 'KR', 'Republic of Korea'];
  it.each(spellings)('answers the two local distributors for market "%s"', async (market) => {
    const { status, body } = await gql(
      'query($m: String!) { distributors(brand: "Xiaomi", market: $m) { name } }',
      {
        m: market,
      },
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { distributors: [{ name: 'Koma Trade' }, { name: 'Nanjing Youmi Electronics Technology' }] },
    });
  });

  it('shows what each distributor carries for the brand, with the evidence, one selection away', async () => {
    const { body } = await gql(`{
      distributors(brand: "xiaomi", market: "Korea") {
        name
        distributes(brand: "Xiaomi", market: "Korea") {
          totalCount
          edges { node { name } market { name } status evidence { quote start end status article { key } } }
        }
      }
    }`);
    const koma = body.data?.distributors[0];
    expect(koma.name).toBe('Koma Trade');
    expect(koma.distributes.totalCount).toBe(3);
    expect(koma.distributes.edges.map((e: any) => e.node.name).sort()).toEqual([
      'Xiaomi air purifier',
      'Xiaomi power booster',
      'Xiaomi smart power charger',
    ]);
    for (const edge of koma.distributes.edges) {
      expect(edge.market.name).toBe('South Korea');
      expect(edge.status).toBe('REPORTED');
      expect(edge.evidence.map((e: any) => e.quote)).toContain(
        'Chúng được bán ra thị trường thông qua một số nhà phân phối địa phương như Nanjing Youmi Electronics Technology và Koma Trade.',
      );
      for (const e of edge.evidence) {
        expect(article.slice(e.start, e.end)).toBe(e.quote);
        expect(e.article.key).toBe('article:xiaomi-korea-vi');
      }
    }
  });

  it('names the brand that matched nothing, as a NOT_FOUND error, not an empty answer or a 500', async () => {
    const { status, body } = await gql('{ distributors(brand: "Huawei", market: "Korea") { name } }');
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'No company matches "Huawei".',
        path: ['distributors'],
        extensions: { code: 'NOT_FOUND', term: 'Huawei' },
      }),
    ]);
  });

  it('names the market that matched nothing', async () => {
    const { body } = await gql('{ distributors(brand: "Xiaomi", market: "Narnia") { name } }');
    expect(body.errors?.[0]).toMatchObject({
      message: 'No market matches "Narnia".',
      extensions: { code: 'NOT_FOUND', term: 'Narnia' },
    });
  });

  it('does not take a company for a market', async () => {
    const { body } = await gql('{ distributors(brand: "Xiaomi", market: "Samsung") { name } }');
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', term: 'Samsung' });
  });

  it('answers an empty list when the brand has no distributor in a known market', async () => {
    const { body } = await gql('{ distributors(brand: "Apple", market: "Korea") { name } }');
    expect(body).toEqual({ data: { distributors: [] } });
  });
});

describe('entity(name): any name or alias, any case, with or without diacritics', () => {
  it.each([
    ['han quoc', 'South Korea', 'Market'],
    ['Seul', 'Seoul', 'City'],
    ['bắc kinh', 'Beijing', 'City'],
    ['máy lạc không khí', 'Xiaomi air purifier', 'Product'],
    ['may loc khong khi', 'Xiaomi air purifier', 'Product'],
    ['Air Purifier', 'Xiaomi air purifier', 'Product'],
    ['Apple của Trung Quốc', 'Xiaomi', 'Company'],
    ['trong dat', 'Trong Dat', 'Person'],
  ])('"%s" is %s', async (name, expected, kind) => {
    const { body } = await gql('query($n: String!) { entity(name: $n) { __typename name kind } }', {
      n: name,
    });
    expect(body.data?.entity).toEqual({ __typename: kind, name: expected, kind });
  });

  it('is a NOT_FOUND error quoting the term when nothing matches', async () => {
    const { body } = await gql('{ entity(name: "Atlantis") { name } }');
    expect(body.data).toEqual({ entity: null });
    expect(body.errors?.[0]).toMatchObject({
      message: 'No entity matches "Atlantis".',
      extensions: { code: 'NOT_FOUND' },
    });
  });
});

describe('nodes, global ids and both directions of a relationship', () => {
  it('refetches any entity by its global id', async () => {
    const { body } = await gql('{ entity(name: "Mi TV 4") { id ... on Product { priceUpToUsd category } } }');
    const id = body.data?.entity.id;
    const again = await gql(
      'query($id: ID!) { node(id: $id) { id ... on Product { name priceUpToUsd category } } }',
      {
        id,
      },
    );
    expect(again.body.data?.node).toEqual({ id, name: 'Mi TV 4', priceUpToUsd: 2000, category: 'smart TV' });
  });

  it('answers null for a global id of the wrong kind', async () => {
    const { body } = await gql('{ entity(name: "Xiaomi") { id } }');
    const wrong = Buffer.from(
      `Product:${Buffer.from(body.data?.entity.id, 'base64').toString().split(':').slice(1).join(':')}`,
    ).toString('base64');
    const again = await gql('query($id: ID!) { node(id: $id) { id } }', { id: wrong });
    expect(again.body.data?.node).toBeNull();
  });

  it('follows a relationship from either end with the same evidence', async () => {
    const { body } = await gql(`{
      entity(name: "Koma Trade") { ... on Company { distributes(first: 1) { edges { id node { name } evidence { start } } } } }
      purifier: entity(name: "air purifier") { ... on Product { distributedBy { edges { id node { name } evidence { start } } } } }
    }`);
    const out = body.data?.entity.distributes.edges[0];
    const back = body.data?.purifier.distributedBy.edges.find((e: any) => e.node.name === 'Koma Trade');
    expect(out.node.name).toBe('Xiaomi air purifier');
    expect(back.id).toBe(out.id);
    expect(back.evidence).toEqual(out.evidence);
  });

  it('filters facts by how sure the article is', async () => {
    const { body } = await gql(`{
      entity(name: "Xiaomi") { ... on Company {
        all: offices { totalCount edges { node { name } status } }
        sure: offices(status: [STATED, CONFIRMED]) { totalCount }
      } }
    }`);
    expect(body.data?.entity.all).toEqual({
      totalCount: 1,
      edges: [{ node: { name: 'Xiaomi representative office in Seoul (rumoured)' }, status: 'SPECULATED' }],
    });
    expect(body.data?.entity.sure.totalCount).toBe(0);
  });
});

describe('companies, products and markets as Relay connections', () => {
  it('pages through every company exactly once with cursors', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    let total = 0;
    do {
      const { body }: GqlResponse = await gql(
        'query($after: String) { companies(first: 2, after: $after) { totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      const c: any = body.data?.companies;
      total = c.totalCount;
      seen.push(...c.edges.map((e: any) => e.node.name));
      after = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null;
      pages += 1;
    } while (after && pages < 10);
    expect(total).toBe(6);
    expect(pages).toBe(3);
    expect(seen).toEqual([
      'Apple',
      'Koma Trade',
      'LG',
      'Nanjing Youmi Electronics Technology',
      'Samsung',
      'Xiaomi',
    ]);
  });

  it('filters by part of a name or alias, ignoring diacritics', async () => {
    const { body } = await gql(`{
      markets(where: { nameContains: "quoc" }) { totalCount edges { node { name } } }
      products(where: { nameContains: "phone" }) { totalCount }
    }`);
    expect(body.data?.markets).toEqual({
      totalCount: 2,
      edges: [{ node: { name: 'China' } }, { node: { name: 'South Korea' } }],
    });
    expect(body.data?.products.totalCount).toBe(3);
  });

  it('refuses a page size over the limit and a forged cursor, naming the argument', async () => {
    const big = await gql('{ companies(first: 5000) { totalCount } }');
    expect(big.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'first' } });
    const forged = await gql('{ companies(after: "bm90IGEgY3Vyc29y") { totalCount } }');
    expect(forged.body.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
    });
  });
});

describe('errors', () => {
  it('logged no unexpected error in this file', () => {
    expect(logged).toEqual([]);
  });
});
