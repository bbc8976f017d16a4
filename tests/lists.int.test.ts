import { describe, expect, it } from 'vitest';
import { graphSnapshot, seededDb } from './support/db.js';
import { gqlClient } from './support/graphql.js';

const db = seededDb();
const logged: unknown[] = [];
const gql = gqlClient(db, logged);

async function names(
  list: 'companies' | 'products' | 'markets',
  args: string,
  variables?: Record<string, unknown>,
) {
  const { body } = await gql(
    `query($w: ${list === 'companies' ? 'Company' : list === 'products' ? 'Product' : 'Market'}Where) { ${list}(${args}) { totalCount edges { node { name } } } }`,
    variables,
  );
  expect(body.errors).toBeUndefined();
  const c = body.data?.[list];
  expect(c.edges).toHaveLength(Math.min(c.totalCount, 20));
  return c.edges.map((e: any) => e.node.name) as string[];
}

describe('where filters', () => {
  it('compare names ignoring case and diacritics', async () => {
    expect(await names('markets', 'where: $w', { w: { name: { equals: 'han quoc' } } })).toEqual([]);
    expect(await names('markets', 'where: $w', { w: { nameContains: 'HAN QUOC' } })).toEqual(['South Korea']);
    expect(await names('companies', 'where: $w', { w: { name: { startsWith: 'SAM' } } })).toEqual([
      'Samsung',
    ]);
    expect(await names('companies', 'where: $w', { w: { name: { in: ['lg', 'Apple'] } } })).toEqual([
      'Apple',
      'LG',
    ]);
  });

  it('combine with AND, OR and NOT, and match keys', async () => {
    expect(
      await names('companies', 'where: $w', {
        w: {
          OR: [{ name: { equals: 'xiaomi' } }, { key: { in: ['company:lg'] } }],
          NOT: { name: { contains: 'x' } },
        },
      }),
    ).toEqual(['LG']);
  });

  it('find companies that distribute some product of a brand, in a market', async () => {
    const distributors = ['Koma Trade', 'Nanjing Youmi Electronics Technology'];
    expect(await names('companies', 'where: $w', { w: { distributes_SOME: { brand: 'Xiaomi' } } })).toEqual(
      distributors,
    );
    expect(
      await names('companies', 'where: $w', {
        w: { distributes_SOME: { brand: 'xiaomi', market: 'Hàn Quốc' } },
      }),
    ).toEqual(distributors);
    expect(await names('companies', 'where: $w', { w: { distributes_SOME: { market: 'Vietnam' } } })).toEqual(
      [],
    );
    expect(await names('companies', 'where: $w', { w: { distributes_NONE: {} } })).toEqual([
      'Apple',
      'LG',
      'Samsung',
      'Xiaomi',
    ]);
  });

  it('follow relationships in either direction, with conditions on the other end and on the evidence', async () => {
    expect(
      await names('companies', 'where: $w', {
        w: { competedBy_SOME: { node: { name: { equals: 'Xiaomi' } } } },
      }),
    ).toEqual(['Apple', 'LG', 'Samsung']);
    expect(
      await names('companies', 'where: $w', {
        w: { headquarteredIn_SOME: { node: { nameContains: 'han quoc' } } },
      }),
    ).toEqual(['LG', 'Samsung']);
    expect(
      await names('markets', 'where: $w', {
        w: { enteredBy_SOME: { node: { key: { equals: 'company:xiaomi' } }, status: ['STATED'] } },
      }),
    ).toEqual(['South Korea', 'United States']);
    expect(
      await names('companies', 'where: $w', { w: { offices_SOME: { status: ['STATED', 'CONFIRMED'] } } }),
    ).toEqual([]);
    expect(
      await names('companies', 'where: $w', { w: { offices_SOME: { status: ['SPECULATED'] } } }),
    ).toEqual(['Xiaomi']);
  });

  it('filter products by category (any case) and price', async () => {
    expect(await names('products', 'where: $w', { w: { category: { equals: 'SMARTPHONE' } } })).toEqual([
      'iPhone 8',
      'Xiaomi grey-import phones',
      'Xiaomi new full-screen OLED smartphone',
    ]);
    expect(await names('products', 'where: $w', { w: { priceUpToUsd: { gte: 1000 } } })).toEqual(['Mi TV 4']);
  });

  it('name a brand that matches nothing as NOT_FOUND', async () => {
    const { body } = await gql(
      '{ companies(where: { distributes_SOME: { brand: "Huawei" } }) { totalCount } }',
    );
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND', term: 'Huawei' } });
  });

  it('treat Cypher in a value as plain text and change nothing', async () => {
    const before = await graphSnapshot(db);
    for (const evil of ["') MATCH (n) DETACH DELETE n //", '" OR 1=1 //', '`} RETURN 1 //', '$p0']) {
      expect(
        await names('companies', 'where: $w', { w: { name: { equals: evil }, nameContains: evil } }),
      ).toEqual([]);
    }
    expect(await graphSnapshot(db)).toEqual(before);
  });
});

describe('orderBy and cursors', () => {
  async function pageThrough(list: string, orderBy: string) {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const { body } = await gql(
        `query($after: String) { ${list}(first: 2, after: $after, orderBy: ${orderBy}) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(body.errors).toBeUndefined();
      const c: any = body.data?.[list];
      seen.push(...c.edges.map((e: any) => e.node.name));
      if (!c.pageInfo.hasNextPage) return { seen, total: c.totalCount as number };
      after = c.pageInfo.endCursor;
    }
    throw new Error('did not reach the last page');
  }

  it('pages through products by price, highest first, each exactly once', async () => {
    const { seen, total } = await pageThrough('products', 'PRICE_DESC');
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen[0]).toBe('Mi TV 4');
  });

  it('pages through companies in reverse name order, each exactly once', async () => {
    const { seen } = await pageThrough('companies', 'NAME_DESC');
    expect(seen).toEqual([
      'Xiaomi',
      'Samsung',
      'Nanjing Youmi Electronics Technology',
      'LG',
      'Koma Trade',
      'Apple',
    ]);
  });

  it('refuses a cursor given out for another order', async () => {
    const { body } = await gql('{ companies(first: 1, orderBy: NAME_DESC) { pageInfo { endCursor } } }');
    const cursor = body.data?.companies.pageInfo.endCursor;
    const again = await gql('query($a: String) { companies(after: $a, orderBy: KEY_ASC) { totalCount } }', {
      a: cursor,
    });
    expect(again.body.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
    });
  });

  it('pages a relationship field with cursors, each edge exactly once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let i = 0; i < 10; i++) {
      const { body } = await gql(
        'query($after: String) { entity(name: "Xiaomi") { ... on Company { manufactures(first: 3, after: $after) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } } } }',
        { after },
      );
      const c: any = body.data?.entity.manufactures;
      total = c.totalCount;
      seen.push(...c.edges.map((e: any) => e.node.name));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(total).toBe(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toHaveLength(7);
  });
});

describe('stats', () => {
  it('counts entities per kind and facts per type and status', async () => {
    const { body } = await gql(`{
      stats {
        entities { kind count }
        relationships { type status count }
        sure: relationships(status: [CONFIRMED]) { type count }
      }
    }`);
    const s = body.data?.stats;
    expect(s.entities).toContainEqual({ kind: 'Company', count: 6 });
    expect(s.entities).toContainEqual({ kind: 'Product', count: 8 });
    expect(s.entities).toContainEqual({ kind: 'Article', count: 1 });
    const total = s.relationships.reduce((n: number, r: any) => n + r.count, 0);
    expect(total).toBe(60 + 32);
    expect(s.relationships).toContainEqual({ type: 'DISTRIBUTES', status: 'REPORTED', count: 6 });
    expect(s.relationships).toContainEqual({ type: 'HAS_OFFICE', status: 'SPECULATED', count: 1 });
    expect(s.sure.map((r: any) => r.type).sort()).toEqual(['ABOUT', 'CONFIRMED', 'MADE', 'OPERATES']);
  });

  it('counts distributors per market and products per distributor', async () => {
    const { body } = await gql(`{
      stats {
        distributorsPerMarket(brand: "Xiaomi") { market { name } distributors products }
        productsPerDistributor(market: "Korea") { company { name } products markets }
      }
    }`);
    expect(body.data?.stats).toEqual({
      distributorsPerMarket: [{ market: { name: 'South Korea' }, distributors: 2, products: 3 }],
      productsPerDistributor: [
        { company: { name: 'Koma Trade' }, products: 3, markets: 1 },
        { company: { name: 'Nanjing Youmi Electronics Technology' }, products: 3, markets: 1 },
      ],
    });
  });

  it('logged no unexpected error in this file', () => {
    expect(logged).toEqual([]);
  });
});
