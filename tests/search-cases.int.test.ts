import { describe, expect, it } from 'vitest';
import { testApp } from './support/app.js';
import { countingDb, seededDb } from './support/db.js';
import { gqlClient } from './support/graphql.js';
import { searcher } from './support/search.js';

const db = seededDb();
const counting = countingDb(db);
const logged: unknown[] = [];
const gql = gqlClient(counting, logged);

const searchOnce = searcher(gql);

async function search(text: string, options: { kinds?: string[]; first?: number } = {}) {
  counting.statements = 0;
  const hits = await searchOnce(text, options);
  // Whatever the text, a search is one statement.
  expect(counting.statements).toBe(1);
  const scores = hits.map((h) => h.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
  for (const s of scores) expect(s > 0 && s <= 1, `score ${s}`).toBe(true);
  return hits;
}

/**
 * What a user types and what must come first: `top` is the best hit (and `matched`, when given, the spelling
 * that explains it); `top3`, when given, the first three in order.
 */
interface Case {
  text: string;
  top: string;
  matched?: string;
  top3?: string[];
}

const cases: Record<string, Case[]> = {
  'names as written': [
    { text: 'Xiaomi', top: 'company:xiaomi', matched: 'Xiaomi' },
    { text: 'Korea', top: 'market:south-korea', matched: 'Korea' },
    { text: 'iPhone 8', top: 'product:iphone-8' },
    { text: 'LG Electronics', top: 'company:lg', matched: 'LG Electronics' },
    { text: 'Mi TV 4', top: 'product:mi-tv-4' },
    { text: 'beijing', top: 'city:beijing' },
  ],
  'sloppy and multi-word: any word counts, the more the better': [
    { text: 'xiaomi distributors', top: 'company:xiaomi' },
    {
      text: 'air purifier korea',
      top: 'product:air-purifier',
      top3: ['product:air-purifier', 'market:south-korea', 'website:xiaomi-korea'],
    },
    {
      text: 'Koma Trade Korea',
      top: 'company:koma-trade',
      top3: ['company:koma-trade', 'market:south-korea', 'website:xiaomi-korea'],
    },
    { text: 'samsung electronics korea', top: 'company:samsung', matched: 'Samsung Electronics' },
    { text: 'xiaomi korea', top: 'website:xiaomi-korea', matched: 'Xiaomi Korea website' },
    { text: 'the apple of china', top: 'company:xiaomi', matched: 'Apple of China' },
    { text: 'representative office seoul', top: 'office:xiaomi-seoul-representative-office' },
    { text: 'samsung homeland', top: 'article:xiaomi-korea-vi' },
    { text: 'xiaomi laptop', top: 'product:xiaomi-laptops', matched: 'laptop Xiaomi' },
    { text: 'smart tv', top: 'product:mi-tv-4', matched: 'smartTV Mi TV 4' },
    { text: 'korean website', top: 'website:xiaomi-korea' },
    { text: 'samsung lg', top: 'statement:samsung-lg-entry-not-easy' },
  ],
  'Vietnamese with diacritics': [
    { text: 'Hàn Quốc', top: 'market:south-korea', matched: 'Hàn Quốc' },
    { text: 'máy lọc không khí', top: 'product:air-purifier', matched: 'máy lọc không khí' },
    { text: 'Bắc Kinh', top: 'city:beijing', matched: 'Bắc Kinh' },
    { text: 'giới phân tích', top: 'person:analysts', matched: 'Giới phân tích' },
    { text: 'văn phòng đại diện ở Seul', top: 'office:xiaomi-seoul-representative-office' },
    { text: 'Trọng Đạt', top: 'person:trong-dat', matched: 'Trọng Đạt' },
    { text: 'bộ sạc', top: 'product:smart-power-charger', matched: 'bộ sạc điện thông minh' },
  ],
  'Vietnamese without diacritics': [
    { text: 'han quoc', top: 'market:south-korea', matched: 'Hàn Quốc' },
    { text: 'may loc khong khi', top: 'product:air-purifier', matched: 'máy lọc không khí' },
    { text: 'bac kinh', top: 'city:beijing', matched: 'Bắc Kinh' },
    { text: 'dien thoai xach tay', top: 'product:xiaomi-grey-import-phones' },
    { text: 'trang chu xiaomi', top: 'website:xiaomi-korea' },
    {
      text: 'bo sac dien',
      top: 'product:smart-power-charger',
      top3: [
        'product:smart-power-charger',
        'product:power-booster',
        'office:xiaomi-seoul-representative-office',
      ],
    },
    { text: 'van phong dai dien', top: 'office:xiaomi-seoul-representative-office' },
    { text: 'duong luoi bo', top: 'statement:reporter-grey-import-map' },
  ],
  'Vietnamese words that fold to English stop words ("tờ" is "to")': [
    { text: 'tờ báo phương Tây', top: 'person:western-newspapers', matched: 'tờ báo phương Tây' },
    { text: 'to bao phuong tay', top: 'person:western-newspapers', matched: 'tờ báo phương Tây' },
    { text: 'to bao', top: 'person:western-newspapers' },
  ],
  'the names Vietnamese readers give places': [
    { text: 'Nam Hàn', top: 'market:south-korea', matched: 'Nam Hàn' },
    { text: 'dai han dan quoc', top: 'market:south-korea', matched: 'Đại Hàn Dân Quốc' },
    { text: 'Trung Hoa', top: 'market:china', matched: 'Trung Hoa' },
    { text: 'trung quoc', top: 'market:china', matched: 'Trung Quốc' },
    { text: 'viet nam', top: 'market:vietnam', matched: 'Viet Nam' },
    { text: 'Việt Nam', top: 'market:vietnam', matched: 'Việt Nam' },
    { text: 'hoa ky', top: 'market:united-states', matched: 'Hoa Kỳ' },
    { text: 'my', top: 'market:united-states', matched: 'Mỹ' },
    { text: 'xo un', top: 'city:seoul', matched: 'Xơ-un' },
    { text: 'Hán Thành', top: 'city:seoul', matched: 'Hán Thành' },
  ],
  'typos, one edit away': [
    {
      text: 'xiomi',
      top: 'company:xiaomi',
      matched: 'Xiaomi',
      top3: ['company:xiaomi', 'product:mi-tv-4', 'product:xiaomi-laptops'],
    },
    { text: 'Samsnug', top: 'company:samsung', matched: 'Samsung' },
    { text: 'appel', top: 'company:apple', matched: 'Apple' },
    { text: 'beijng', top: 'city:beijing', matched: 'Beijing' },
    { text: 'Koma Trde', top: 'company:koma-trade', matched: 'Koma Trade' },
    { text: 'may lok khong khi', top: 'product:air-purifier' },
    { text: 'xiaomi air purifer', top: 'product:air-purifier', matched: 'Xiaomi air purifier' },
    { text: 'nanjing youmi electronic technology', top: 'company:nanjing-youmi-electronics-technology' },
  ],
  'words split or joined differently': [
    { text: 'xiao mi', top: 'company:xiaomi', matched: 'Xiaomi' },
    { text: 'komatrade', top: 'company:koma-trade', matched: 'Koma Trade' },
    { text: 'koma trade', top: 'company:koma-trade', matched: 'Koma Trade' },
    { text: 'Koma-Trade', top: 'company:koma-trade', matched: 'Koma Trade' },
    { text: 'iphone8', top: 'product:iphone-8', matched: 'iPhone 8' },
    { text: 'nanjingyoumi', top: 'company:nanjing-youmi-electronics-technology', matched: 'Nanjing Youmi' },
    { text: 'mitv 4', top: 'product:mi-tv-4', matched: 'Mi TV 4' },
  ],
  'word beginnings': [
    { text: 'xiao', top: 'company:xiaomi', matched: 'Xiaomi' },
    { text: 'nanj', top: 'company:nanjing-youmi-electronics-technology' },
    { text: 'samsun', top: 'company:samsung', matched: 'Samsung' },
  ],
};

describe.each(Object.entries(cases))('search cases: %s', (_group, table) => {
  it.each(table.map((c) => [c.text, c] as const))('"%s"', async (_text, c) => {
    const hits = await search(c.text);
    expect(hits[0]?.entity.key, JSON.stringify(hits.slice(0, 3))).toBe(c.top);
    if (c.matched) expect(hits[0]?.matched).toBe(c.matched);
    if (c.top3) expect(hits.slice(0, 3).map((h) => h.entity.key)).toEqual(c.top3);
  });
});

describe('search ranking, beyond the top hit', () => {
  it('has a case table of at least 30 queries', () => {
    expect(Object.values(cases).flat().length).toBeGreaterThanOrEqual(30);
  });

  it('puts a brand found through a typo of its own name above all its products', async () => {
    const hits = await search('xiomi', { first: 20 });
    expect(hits[0]?.entity.key).toBe('company:xiaomi');
    const products = hits.filter((h) => h.entity.kind === 'Product');
    expect(products.length).toBeGreaterThan(3);
    for (const p of products) expect(p.score).toBeLessThan(hits[0]?.score ?? 0);
  });

  it('ranks a hit explaining every word above those explaining fewer', async () => {
    const [all, ...rest] = await search('air purifier korea', { first: 20 });
    expect(all?.entity.key).toBe('product:air-purifier');
    const korea = rest.find((h) => h.entity.key === 'market:south-korea');
    expect(korea?.score).toBeLessThan(all?.score ?? 0);
    // A word the data lacks lowers the score of the spelling that is otherwise the text, but keeps the hit.
    const [exact] = await search('air purifier');
    expect(exact?.score).toBe(1);
    expect(all?.score).toBeLessThan(1);
  });

  it('keeps the kind filter with any-word matching', async () => {
    const products = await search('xiomi phones', { kinds: ['Product'], first: 50 });
    expect(products.length).toBeGreaterThan(3);
    expect(new Set(products.map((h) => h.entity.kind))).toEqual(new Set(['Product']));
    expect(products[0]?.entity.key).toBe('product:xiaomi-grey-import-phones');
  });

  it('answers nothing when no word matches, even split or joined', async () => {
    expect(await search('Atlantis')).toEqual([]);
    expect(await search('Narnia Atlantis')).toEqual([]);
  });
});

describe('a name that matches nothing suggests what the user probably meant', () => {
  const errorOf = async (query: string) => {
    counting.statements = 0;
    const { status, body } = await gql(query);
    expect(status).toBe(200);
    expect(body.errors).toHaveLength(1);
    return { error: body.errors?.[0], statements: counting.statements };
  };

  it('entity: "koma" is Koma Trade, named in the message, after one statement more', async () => {
    const { error, statements } = await errorOf('{ entity(name: "koma") { name } }');
    expect(error).toMatchObject({
      message: 'No entity matches "koma". Did you mean "Koma Trade"?',
      path: ['entity'],
      extensions: { code: 'NOT_FOUND', term: 'koma', suggestions: ['Koma Trade'] },
    });
    // The lookup, then the search for suggestions.
    expect(statements).toBe(2);
  });

  it('costs nothing more when the name is found', async () => {
    counting.statements = 0;
    const { body } = await gql('{ entity(name: "Koma Trade") { name } }');
    expect(body).toEqual({ data: { entity: { name: 'Koma Trade' } } });
    expect(counting.statements).toBe(1);
  });

  it('distributors: suggests only names of the kind the argument takes', async () => {
    const brand = await errorOf('{ distributors(brand: "xiomi", market: "Korea") { name } }');
    expect(brand.error).toMatchObject({
      message: 'No company matches "xiomi". Did you mean "Xiaomi"?',
      extensions: { code: 'NOT_FOUND', term: 'xiomi', suggestions: ['Xiaomi'] },
    });
    const market = await errorOf('{ distributors(brand: "Xiaomi", market: "Kora") { name } }');
    expect(market.error).toMatchObject({
      message: 'No market matches "Kora". Did you mean "South Korea"?',
      extensions: { code: 'NOT_FOUND', term: 'Kora', suggestions: ['South Korea'] },
    });
    // Samsung is a company: a market named so is nothing, and no market is like it.
    const company = await errorOf('{ distributors(brand: "Xiaomi", market: "Samsung") { name } }');
    expect(company.error?.extensions).toEqual({ code: 'NOT_FOUND', term: 'Samsung' });
  });

  it('path: names the end that matches nothing, with its suggestions', async () => {
    const { error } = await errorOf('{ path(from: "komatrade", to: "Samsung") { length } }');
    expect(error).toMatchObject({
      message: 'No entity matches "komatrade". Did you mean "Koma Trade"?',
      path: ['path'],
      extensions: { code: 'NOT_FOUND', term: 'komatrade', suggestions: ['Koma Trade'] },
    });
  });

  it('a name given to a nested field, searched for once for every parent', async () => {
    const { error, statements } = await errorOf(`{
      entity(name: "Xiaomi") {
        ... on Company {
          manufactures(first: 5) { edges { node { distributedBy(market: "Korra") { totalCount } } } }
        }
      }
    }`);
    expect(error).toMatchObject({
      message: 'No market matches "Korra". Did you mean "South Korea"?',
      extensions: { code: 'NOT_FOUND', term: 'Korra', suggestions: ['South Korea'] },
    });
    expect(statements).toBe(2);
  });

  it('gives up to five names, best first, each of which is a name that works', async () => {
    const { error } = await errorOf('{ entity(name: "xiaomi phone") { name } }');
    const suggestions = error?.extensions?.suggestions as string[];
    expect(suggestions[0]).toBe('Xiaomi grey-import phones');
    expect(suggestions.length).toBeGreaterThan(1);
    expect(suggestions.length).toBeLessThanOrEqual(5);
    expect(error?.message).toBe(`No entity matches "xiaomi phone". Did you mean "${suggestions[0]}"?`);
    for (const name of suggestions) {
      const { body } = await gql('query($n: String!) { entity(name: $n) { name } }', { n: name });
      expect(body.data?.entity, name).toEqual({ name });
    }
  });

  it('suggests nothing, and says nothing more, when search finds nothing like it', async () => {
    const { error } = await errorOf('{ entity(name: "Atlantis") { name } }');
    expect(error).toMatchObject({ message: 'No entity matches "Atlantis".' });
    expect(error?.extensions).toEqual({ code: 'NOT_FOUND', term: 'Atlantis' });
  });

  it('shows the suggestions in production too (introspection off, field suggestions hidden)', async () => {
    const production = testApp({ db, introspection: false, graphiql: false });
    const res = await production.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ entity(name: "koma") { name } }' }),
    });
    const body = (await res.json()) as { errors?: { message: string; extensions?: unknown }[] };
    expect(body.errors?.[0]).toEqual(
      expect.objectContaining({
        message: 'No entity matches "koma". Did you mean "Koma Trade"?',
        extensions: { code: 'NOT_FOUND', term: 'koma', suggestions: ['Koma Trade'] },
      }),
    );
    // While GraphQL's own field suggestions stay hidden there.
    const typo = await production.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ entity(name: "Koma Trade") { nam } }' }),
    });
    const refused = (await typo.json()) as { errors?: { message: string }[] };
    expect(refused.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('logged no unexpected error in this file', () => {
    expect(logged).toEqual([]);
  });
});
