import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type MentionSpan, scanMentions } from '../src/graph/mentions.js';
import type { Runner } from '../src/neo4j/driver.js';
import { seededDb } from './support/db.js';
import { articleFactsPath } from './support/paths.js';

const db = seededDb();
const facts = JSON.parse(readFileSync(articleFactsPath, 'utf8')) as {
  article: { id: string };
  entities: { id: string }[];
};
const articleId = facts.article.id;

/**
 * Every mention the scan finds in the seed article, each read in the text and found true. Entities the scan
 * does not find: Seoul and Beijing (only inside the longer names of the office and the PR manager, which take
 * their words) and five of the six Statements (their names are English summaries); the ingest links those
 * from the facts' own quotes.
 */
const SEED_MENTIONS: [entity: string, quote: string, start: number][] = [
  // The text opens with the article's title, a key of the Article: its words are mentions all the same.
  ['market:china', 'Trung Quốc', 4],
  ['market:vietnam', 'Việt Nam', 16],
  ['company:xiaomi', 'Xiaomi', 26],
  ['company:samsung', 'Samsung', 56],
  ['market:south-korea', 'Hàn Quốc', 64],
  ['company:xiaomi', 'Xiaomi', 194],
  ['market:china', 'Trung Quốc', 222],
  ['company:xiaomi', 'Xiaomi', 235],
  ['market:south-korea', 'Hàn Quốc', 294],
  ['website:xiaomi-korea', 'phiên bản tiếng Hàn của trang chủ Xiaomi', 354],
  ['website:xiaomi-korea', 'Phiên bản web bằng tiếng Hàn', 415],
  ['company:xiaomi', 'Xiaomi', 449],
  ['market:south-korea', 'Hàn Quốc', 572],
  ['company:xiaomi', 'Xiaomi', 635],
  ['product:xiaomi-laptops', 'laptop Xiaomi', 715],
  ['market:south-korea', 'Hàn Quốc', 820],
  ['company:xiaomi', 'Xiaomi', 833],
  ['company:xiaomi', 'Xiaomi', 879],
  // Seoul ("Seul") is inside the office's Vietnamese name, which wins as the longer match.
  ['office:xiaomi-seoul-representative-office', 'văn phòng đại diện ở Seul', 914],
  ['market:south-korea', 'Hàn Quốc', 988],
  // Ten words, the person's Vietnamese name; Xiaomi and Beijing inside it are not linked again.
  ['person:xiaomi-pr-manager-beijing', 'quản lý bộ phận PR của Xiaomi tại Bắc Kinh', 1002],
  ['company:xiaomi', 'Xiaomi', 1157],
  ['company:xiaomi', 'Xiaomi', 1173],
  ['market:south-korea', 'Hàn Quốc', 1208],
  ['company:xiaomi', 'Xiaomi', 1229],
  ['market:south-korea', 'Hàn Quốc', 1286],
  // The article's misspelling, which the facts file keeps as an alias.
  ['product:air-purifier', 'máy lạc không khí', 1321],
  ['product:smart-power-charger', 'bộ sạc điện thông minh', 1340],
  ['product:power-booster', 'bộ kích điện', 1364],
  ['company:nanjing-youmi-electronics-technology', 'Nanjing Youmi Electronics Technology', 1453],
  ['company:koma-trade', 'Koma Trade', 1493],
  ['company:samsung', 'Samsung', 1546],
  // Two letters, in the exact case of its name.
  ['company:lg', 'LG', 1557],
  ['market:south-korea', 'Hàn Quốc', 1598],
  // A Statement whose Vietnamese name is the article's own twelve words (the longest key looked for).
  ['statement:samsung-lg-entry-not-easy', 'sẽ không dễ dàng để Xiaomi bước chân vào thị trường này', 1616],
  ['company:xiaomi', 'Xiaomi', 1699],
  // The byline.
  ['person:trong-dat', 'Trọng Đạt', 1867],
  ['product:xiaomi-grey-import-phones', 'điện thoại Xiaomi hàng xách tay', 1914],
  ['product:mi-tv-4', 'smartTV Mi TV 4', 1999],
  ['product:xiaomi-new-full-screen-smartphone', 'Chiếc smartphone mới của Xiaomi', 2128],
  ['product:iphone-8', 'iPhone 8', 2215],
  ['person:analysts', 'Giới phân tích', 2311],
  ['company:xiaomi', 'Xiaomi', 2367],
  ['person:western-newspapers', 'nhiều tờ báo phương Tây', 2481],
  ['company:xiaomi', 'Xiaomi', 2514],
  // Xiaomi's nickname: neither Apple nor China is linked inside it.
  ['company:xiaomi', 'Apple của Trung Quốc', 2555],
  // "Mỹ", two letters once folded, in its exact spelling.
  ['market:united-states', 'Mỹ', 2617],
  ['company:apple', 'Apple', 2639],
];

const brief = (spans: MentionSpan[]) => spans.map((s) => [s.entity, s.quote, s.start]);

describe('scanMentions on the seed article', () => {
  let text: string;
  beforeAll(async () => {
    text = await db.read(async (tx) => {
      const r = await tx.run('MATCH (a:Article {id: $id}) RETURN a.text AS text', { id: articleId });
      return r.records[0]?.get('text') as string;
    });
  });

  it('finds exactly the mentions read true by hand, at their offsets', async () => {
    const spans = await db.read((tx) => scanMentions(tx, text, [articleId]));
    expect(brief(spans)).toEqual(SEED_MENTIONS);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.quote);
  });

  it('finds every entity of the facts file but the ones listed', async () => {
    const spans = await db.read((tx) => scanMentions(tx, text, [articleId]));
    const found = new Set(spans.map((s) => s.entity));
    expect(facts.entities.map((e) => e.id).filter((id) => !found.has(id))).toEqual([
      'city:seoul',
      'city:beijing',
      'statement:samsung-lg-youth-appeal-limited',
      'statement:xiaomi-pr-korea-site-official',
      'statement:analysts-smartphones-not-enough',
      'statement:western-press-xiaomi-crisis',
      'statement:reporter-grey-import-map',
    ]);
  });

  it('never links an article, nor an excluded entity, nor a shorter spelling inside its spellings', async () => {
    const title = 'Sau Trung Quốc, Việt Nam, Xiaomi tấn công vào quê hương Samsung';
    const spans = await db.read((tx) => scanMentions(tx, title));
    expect(spans.map((s) => s.entity)).toEqual([
      'market:china',
      'market:vietnam',
      'company:xiaomi',
      'company:samsung',
    ]);
    const withoutXiaomi = await db.read((tx) =>
      scanMentions(tx, 'Xiaomi, "Apple của Trung Quốc", sân nhà của Apple', ['company:xiaomi']),
    );
    expect(brief(withoutXiaomi)).toEqual([['company:apple', 'Apple', 44]]);
  });

  it('looks the spellings up by the distinct words of the text, then their entities: index seeks only', async () => {
    const plans: { operatorType: string; arguments: Record<string, unknown>; children: unknown[] }[] = [];
    await db.read((tx) => {
      const profiling: Runner = {
        run: (async (query: string, params: Record<string, unknown>) => {
          const result = await tx.run(`PROFILE ${query}`, params);
          plans.push(result.summary.profile as unknown as (typeof plans)[number]);
          return result;
        }) as unknown as Runner['run'],
      };
      return scanMentions(profiling, text, [articleId]);
    });
    expect(plans).toHaveLength(2);
    const operatorsOf = (plan: (typeof plans)[number]) => {
      const operators: string[] = [];
      const walk = (p: (typeof plans)[number]) => {
        operators.push(`${p.operatorType.split('@')[0]} ${String(p.arguments.Details ?? '')}`);
        for (const c of p.children) walk(c as (typeof plans)[number]);
      };
      walk(plan);
      return operators;
    };
    const [words, entities] = plans.map(operatorsOf) as [string[], string[]];
    expect(words.some((o) => /^NodeUniqueIndexSeek .*k:NameKey\(key\) WHERE key = w/.test(o))).toBe(true);
    expect(
      words.some((o) => /^NodeUniqueIndexSeekByRange .*k:NameKey\(key\) WHERE key STARTS WITH/.test(o)),
    ).toBe(true);
    expect(entities.some((o) => /^NodeUniqueIndexSeek .*k:NameKey\(key\) WHERE key IN \$keys/.test(o))).toBe(
      true,
    );
    expect([...words, ...entities].filter((o) => /Scan/.test(o))).toEqual([]);
  });
});
