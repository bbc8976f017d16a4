import { int } from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { foldName } from '../src/graph/names.js';
import { luceneQuery, SEARCH_CYPHER, searchWords } from '../src/graph/search.js';
import { migrate, staleIndexes } from '../src/neo4j/migrate.js';
import { seededDb } from './support/db.js';
import { gqlClient } from './support/graphql.js';
import { type Hit, SEARCH, searcher } from './support/search.js';

const db = seededDb();
const logged: unknown[] = [];
const gql = gqlClient(db, logged);

const search = searcher(gql);

describe('search finds what a user means, in Vietnamese or English', () => {
  it.each(['Hàn Quốc', 'han quoc', 'HAN QUOC', 'HÀN QUỐC'])(
    '"%s" is South Korea, matched as Hàn Quốc',
    async (text) => {
      const [top] = await search(text);
      expect(top).toMatchObject({
        entity: { key: 'market:south-korea', name: 'South Korea' },
        matched: 'Hàn Quốc',
      });
    },
  );

  it('"Korea" is South Korea, matched as the alias Korea', async () => {
    const [top] = await search('Korea');
    expect(top).toMatchObject({ entity: { key: 'market:south-korea' }, matched: 'Korea' });
  });

  it.each([
    ['máy lọc không khí', 'máy lọc không khí'],
    ['may loc khong khi', 'máy lọc không khí'],
    ['máy lạc không khí', 'máy lạc không khí'], // the article's typo, kept as an alias
    ['air purifier', 'air purifier'],
    ['Air Purifier', 'air purifier'],
  ])('"%s" is the air purifier, matched as "%s"', async (text, matched) => {
    const [top] = await search(text);
    expect(top).toMatchObject({
      entity: { key: 'product:air-purifier', kind: 'Product', name: 'Xiaomi air purifier' },
      matched,
    });
  });

  // Words whose only spelling in the data carries diacritics: found only if the index folds them.
  it.each([
    ['phuong tay', 'person:western-newspapers', 'tờ báo phương Tây'],
    ['bo kich dien', 'product:power-booster', 'bộ kích điện'],
    ['dien thoai xach tay', 'product:xiaomi-grey-import-phones', 'điện thoại Xiaomi hàng xách tay'],
    ['TRỌNG ĐẠT', 'person:trong-dat', 'Trọng Đạt'],
    ['bac kinh', 'city:beijing', 'Bắc Kinh'],
  ])('"%s" finds %s through "%s"', async (text, key, matched) => {
    const [top] = await search(text);
    expect(top).toMatchObject({ entity: { key }, matched });
  });

  it('completes the beginning of a word', async () => {
    const [xiao] = await search('xiao');
    expect(xiao).toMatchObject({ entity: { key: 'company:xiaomi', name: 'Xiaomi' }, matched: 'Xiaomi' });
    const [nanj] = await search('nanj');
    expect(nanj?.entity).toMatchObject({ name: 'Nanjing Youmi Electronics Technology' });
  });

  it('forgives a small typo', async () => {
    const [samsung] = await search('Samsnug');
    expect(samsung).toMatchObject({ entity: { key: 'company:samsung' }, matched: 'Samsung' });
    const [koma] = await search('Koma Trde');
    expect(koma).toMatchObject({ entity: { key: 'company:koma-trade' }, matched: 'Koma Trade' });
  });

  it('puts the entity named exactly so above those that only mention it', async () => {
    const hits = await search('xiaomi');
    expect(hits[0]).toMatchObject({ entity: { key: 'company:xiaomi' }, matched: 'Xiaomi' });
    expect(hits.slice(1).map((h) => h.entity.name)).toEqual(
      expect.arrayContaining(['Xiaomi laptops', 'Xiaomi air purifier']),
    );
  });

  it('answers an empty list when nothing matches', async () => {
    expect(await search('Atlantis')).toEqual([]);
  });
});

describe('ranking, filters and limits', () => {
  it('gives scores from 0 to 1 in descending order', async () => {
    for (const text of ['xiaomi', 'korea', 'samsung', 'Samsnug']) {
      const scores = (await search(text, { first: 50 })).map((h) => h.score);
      expect(scores.length).toBeGreaterThan(0);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      for (const s of scores) expect(s > 0 && s <= 1).toBe(true);
    }
  });

  it('gives 1 to a spelling equal to the text', async () => {
    expect((await search('han quoc'))[0]?.score).toBe(1);
  });

  it('filters by kind', async () => {
    const products = await search('xiaomi', { kinds: ['Product'], first: 50 });
    expect(products.length).toBeGreaterThan(3);
    expect(new Set(products.map((h) => h.entity.kind))).toEqual(new Set(['Product']));
    const both = await search('xiaomi', { kinds: ['Company', 'Website'], first: 50 });
    expect(both.map((h) => h.entity.key).sort()).toEqual(['company:xiaomi', 'website:xiaomi-korea']);
    expect(await search('xiaomi', { kinds: [] })).toEqual([]);
  });

  it('includes articles unless the kinds leave them out', async () => {
    const [article] = await search('homeland');
    expect(article).toMatchObject({ entity: { key: 'article:xiaomi-korea-vi', kind: 'Article' } });
    expect(await search('homeland', { kinds: ['Company', 'Statement'] })).toEqual([]);
  });

  it('returns 10 hits by default and first hits when asked', async () => {
    expect(await search('xiaomi')).toHaveLength(10);
    expect(await search('xiaomi', { first: 3 })).toHaveLength(3);
    expect((await search('xiaomi', { first: 50 })).length).toBeGreaterThan(10);
    expect(await search('xiaomi', { first: 0 })).toEqual([]);
  });

  it.each([51, -1])('refuses first: %d as BAD_USER_INPUT naming first', async (first) => {
    const { body } = await gql(SEARCH, { text: 'xiaomi', first });
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'first' });
  });

  it('serves the whole entity, with its own fields', async () => {
    const { body } = await gql(
      '{ search(text: "Mi TV 4", first: 1) { entity { __typename id ... on Product { priceUpToUsd } } } }',
    );
    expect(body.data?.search[0].entity).toMatchObject({ __typename: 'Product', priceUpToUsd: 2000 });
  });
});

describe('text is data, never query syntax', () => {
  it.each([
    'Xiaomi AND ) OR "',
    'name:xiaomi~',
    'xiaomi^100 OR samsung',
    'xiaomi -samsung',
    '[a TO z]',
    'xia*mi?',
    '\\"koma\\" || trade',
    'OR',
    'the',
  ])('%s: results, not an error', async (text) => {
    const { status, body } = await gql<{ search: Hit[] }>(SEARCH, { text });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(Array.isArray(body.data?.search)).toBe(true);
  });

  it('still finds Xiaomi through operators around it', async () => {
    const keys = (await search('Xiaomi AND ) OR "', { first: 50 })).map((h) => h.entity.key);
    expect(keys).toContain('company:xiaomi');
  });

  it.each(['', '   ', '*', '"', '?!', '&& || ()', '~^'])(
    '"%s" (no letter or digit) is BAD_USER_INPUT naming text',
    async (text) => {
      const { status, body } = await gql(SEARCH, { text });
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: 'text must contain a letter or a digit.',
          path: ['search'],
          extensions: { code: 'BAD_USER_INPUT', argument: 'text' },
        }),
      ]);
    },
  );

  it('refuses a text of more than 16 words as BAD_USER_INPUT naming text', async () => {
    const { body } = await gql(SEARCH, { text: Array.from({ length: 17 }, (_, i) => `word${i}`).join(' ') });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'text' });
  });

  it('builds the Lucene query from folded words only', () => {
    expect(luceneQuery(searchWords('Hàn Quốc!'))).toBe(
      '"han quoc"^4 OR (han^3 OR han*^2) OR (quoc^3 OR quoc*^2 OR quoc~1)' +
        ' OR (hanquoc^3 OR hanquoc*^2 OR hanquoc~1) OR "qu oc"^2',
    );
    expect(luceneQuery(searchWords('Samsung’s of'))).toBe(
      '"samsung s of"^4 OR (samsung^3 OR samsung*^2 OR samsung~1) OR (s^3 OR s*^2) OR (of^3 OR of*^2)' +
        ' OR (samsungs^3 OR samsungs*^2 OR samsungs~1) OR (sof^3 OR sof*^2)' +
        ' OR "sa msung"^2 OR "sam sung"^2 OR "sams ung"^2 OR "samsu ng"^2',
    );
  });
});

describe('the full-text index', () => {
  it('is online, over the folded spellings, with an analyzer that splits on spaces only', async () => {
    const index = await db.read(async (tx) => {
      const r = await tx.run(
        `SHOW FULLTEXT INDEXES YIELD name, state, labelsOrTypes, properties, options
         WHERE name = 'entity_search'
         RETURN state, labelsOrTypes, properties, options.indexConfig['fulltext.analyzer'] AS analyzer`,
      );
      return r.records[0]?.toObject();
    });
    expect(index).toEqual({
      state: 'ONLINE',
      labelsOrTypes: ['NameKey'],
      properties: ['key'],
      analyzer: 'whitespace',
    });
  });

  it('keeps the Vietnamese words that fold to English stop words ("tờ" is "to")', async () => {
    const found = await db.read(async (tx) => {
      const stop = await tx.run(
        `CALL db.index.fulltext.listAvailableAnalyzers() YIELD analyzer, stopwords
         WHERE analyzer = 'whitespace' RETURN stopwords`,
      );
      expect(stop.records[0]?.get('stopwords')).toEqual([]);
      const r = await tx.run(
        `CALL db.index.fulltext.queryNodes('entity_search', 'to') YIELD node RETURN collect(node.key) AS keys`,
      );
      return r.records[0]?.get('keys') as string[];
    });
    expect(found).toContain('to bao phuong tay');
    const [top] = await search('tờ báo');
    expect(top).toMatchObject({ entity: { key: 'person:western-newspapers' }, matched: 'tờ báo phương Tây' });
  });

  it('finds every Vietnamese letter, lower and upper case, typed with or without its diacritics', async () => {
    const lower = 'àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ';
    const letters = [...lower, ...lower.toUpperCase()];
    // One probe entity per letter, "q<i><letter>q", with its spelling folded as a load writes it, searched for
    // as typed and as its folded token "q<i><folded>q"; the transaction is rolled back, so the test leaves
    // nothing in the graph (the index sees uncommitted writes).
    const probes = letters.map((letter, i) => ({
      letter,
      id: `test:search-fold-${i}`,
      name: `q${i}${letter}q`,
      key: foldName(`q${i}${letter}q`),
      typed: luceneQuery(searchWords(`q${i}${letter}q`)),
      token: `q${i}${foldName(letter)}q`,
    }));
    expect(probes.every((p) => /^q\d+[a-z]q$/.test(p.token) && p.key === p.token)).toBe(true);
    const session = db.driver.session({ database: db.database });
    const tx = session.beginTransaction();
    try {
      await tx.run(
        `UNWIND $probes AS p
         CREATE (e:Entity {id: p.id, kind: 'Company', name: p.name, aliases: []})
         MERGE (k:NameKey {key: p.key})
         CREATE (k)-[:NAMES]->(e)`,
        { probes },
      );
      const r = await tx.run(
        `UNWIND $probes AS p
         UNWIND [p.typed, p.token] AS query
         CALL db.index.fulltext.queryNodes('entity_search', query) YIELD node
         MATCH (node)-[:NAMES]->(e:Entity {id: p.id})
         WITH p, count(DISTINCT query) AS both WHERE both = 2
         RETURN collect(p.letter) AS found`,
        { probes },
      );
      const found = r.records[0]?.get('found') as string[];
      expect(letters.filter((l) => !found.includes(l))).toEqual([]);
    } finally {
      await tx.rollback();
      await session.close();
    }
  });

  it('is what the search query reads: a procedure call on it, no label or node scan', async () => {
    const words = searchWords('xiao');
    const plan = await db.read(async (tx) => {
      const r = await tx.run(`EXPLAIN ${SEARCH_CYPHER}`, {
        query: luceneQuery(words),
        text: words.join(' '),
        kinds: null,
        first: int(10),
        candidates: int(200),
      });
      return r.summary.plan;
    });
    const operators: { type: string; details: string }[] = [];
    const walk = (p: typeof plan) => {
      if (!p) return;
      operators.push({
        type: p.operatorType.split('@')[0] ?? '',
        details: String(p.arguments.Details ?? ''),
      });
      for (const child of p.children) walk(child);
    };
    walk(plan);
    expect(operators).toContainEqual(
      expect.objectContaining({
        type: 'ProcedureCall',
        details: expect.stringContaining('db.index.fulltext.queryNodes'),
      }),
    );
    expect(operators.filter((o) => /Scan/.test(o.type))).toEqual([]);
  });
});

describe('migrate, for a database an older version made', () => {
  // An index of this file's own: the shared entity_search stays as the global setup made it.
  const name = 'test_search_migrate_probe';
  const older = `CREATE FULLTEXT INDEX ${name} IF NOT EXISTS FOR (n:SearchMigrateProbe) ON EACH [n.name, n.aliases]
    OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-folding', \`fulltext.eventually_consistent\`: false } }`;
  const current = `CREATE FULLTEXT INDEX ${name} IF NOT EXISTS FOR (k:SearchMigrateProbeKey) ON EACH [k.key]
    OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'whitespace', \`fulltext.eventually_consistent\`: false } }`;
  const definition = () =>
    db.read(async (tx) => {
      const r = await tx.run(
        `SHOW FULLTEXT INDEXES YIELD id, name, state, labelsOrTypes, properties, options WHERE name = $name
         RETURN id, state, labelsOrTypes, properties, options.indexConfig['fulltext.analyzer'] AS analyzer`,
        { name },
      );
      return r.records[0]?.toObject();
    });

  afterAll(async () => {
    await db.write((tx) => tx.run(`DROP INDEX ${name} IF EXISTS`));
  });

  it('replaces an index whose definition differs, and then leaves it as it is', async () => {
    await migrate(db.driver, db.database, [older]);
    expect(await definition()).toMatchObject({
      labelsOrTypes: ['SearchMigrateProbe'],
      analyzer: 'standard-folding',
    });
    expect(await db.read((tx) => staleIndexes(tx, [current]))).toEqual([name]);

    await migrate(db.driver, db.database, [current]);
    const replaced = await definition();
    expect(replaced).toMatchObject({
      state: 'ONLINE',
      labelsOrTypes: ['SearchMigrateProbeKey'],
      properties: ['key'],
      analyzer: 'whitespace',
    });
    expect(await db.read((tx) => staleIndexes(tx, [current]))).toEqual([]);

    await migrate(db.driver, db.database, [current]);
    expect((await definition())?.id).toBe(replaced?.id);
  });

  it('finds every index of schema/constraints.cypher as the file defines it', async () => {
    expect(await db.read((tx) => staleIndexes(tx))).toEqual([]);
  });
});

describe('errors', () => {
  it('logged no unexpected error in this file', () => {
    expect(logged).toEqual([]);
  });
});
