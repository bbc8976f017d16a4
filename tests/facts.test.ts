import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FactsError, readFacts } from '../src/facts/file.js';
import { articleFacts, writeFactsFile } from './support/facts.js';
import { articleFactsPath, articlePath } from './support/paths.js';

function problemsOf(file: string): { message: string; problems: { path: string; message: string }[] } {
  try {
    readFacts(file);
  } catch (err) {
    if (err instanceof FactsError) return { message: err.message, problems: err.problems };
    throw err;
  }
  throw new Error('expected the facts file to be rejected');
}

describe('the article facts', () => {
  const facts = readFacts(articleFactsPath);
  const text = readFileSync(articlePath, 'utf8');

  it('is valid, and every quote is the article text at its offsets', () => {
    expect(facts.relationships.length).toBeGreaterThan(40);
    for (const r of facts.relationships) {
      for (const e of r.evidence) expect(text.slice(e.start, e.end)).toBe(e.quote);
    }
  });

  it('covers the companies, products, markets and places the article names', () => {
    const names = new Set(facts.entities.map((e) => e.name));
    for (const n of [
      'Xiaomi',
      'Samsung',
      'LG',
      'Apple',
      'Nanjing Youmi Electronics Technology',
      'Koma Trade',
      'Mi TV 4',
      'China',
      'Vietnam',
      'South Korea',
      'United States',
      'Seoul',
      'Beijing',
    ]) {
      expect(names, n).toContain(n);
    }
    const kinds = new Set(facts.entities.map((e) => e.kind));
    for (const k of ['Company', 'Product', 'Market', 'City', 'Person', 'Website', 'Office', 'Statement']) {
      expect(kinds, k).toContain(k);
    }
  });

  it('keeps both the typo and the correct Vietnamese name of the air purifier', () => {
    const purifier = facts.entities.find((e) => e.keys.includes('air purifier'));
    expect(purifier?.aliases).toEqual(expect.arrayContaining(['máy lạc không khí', 'máy lọc không khí']));
  });

  it('marks the Seoul office as speculated, as the article does', () => {
    const office = facts.relationships.find((r) => r.type === 'HAS_OFFICE');
    expect(office?.evidence.map((e) => e.status)).toEqual(['speculated']);
  });

  it('links every entity to at least one fact', () => {
    const linked = new Set(facts.relationships.flatMap((r) => [r.from, r.to]));
    expect(facts.entities.filter((e) => !linked.has(e.id)).map((e) => e.id)).toEqual([]);
  });
});

describe('a bad facts is refused with the file, the path inside it and the problem', () => {
  it('malformed JSON', () => {
    const file = writeFactsFile('{ "article": ');
    const { message } = problemsOf(file);
    expect(message).toContain(file);
    expect(message).toMatch(/not readable as JSON/);
  });

  it('a missing file', () => {
    expect(problemsOf('/nonexistent/facts.json').message).toMatch(/facts\.json: .*\n.*file not found/);
  });

  it('a relationship to an unknown entity', () => {
    const facts = articleFacts();
    facts.relationships[3] = { ...facts.relationships[3], to: 'company:nobody' };
    const { problems } = problemsOf(writeFactsFile(facts));
    expect(problems).toEqual([{ path: 'relationships[3].to', message: 'unknown entity "company:nobody"' }]);
  });

  it('a duplicate entity id', () => {
    const facts = articleFacts();
    facts.entities.push({ ...facts.entities[0], name: 'Another Xiaomi' });
    const { problems } = problemsOf(writeFactsFile(facts));
    expect(problems).toContainEqual({
      path: `entities[${facts.entities.length - 1}].id`,
      message: 'duplicate id "company:xiaomi"',
    });
  });

  it('a quote that is not at its offsets', () => {
    const facts = articleFacts();
    const ev = facts.relationships[0].evidence[0];
    ev.start += 1;
    ev.end += 1;
    const { problems } = problemsOf(writeFactsFile(facts));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('relationships[0].evidence[0].quote');
    expect(problems[0]?.message).toMatch(/quote not found at \d+\.\.\d+ .*; it occurs at \d+\.\.\d+/);
  });

  it('a quote that is not in the article at all', () => {
    const facts = articleFacts();
    facts.relationships[1].evidence[0].quote = 'Xiaomi mua lại Samsung';
    const { problems } = problemsOf(writeFactsFile(facts));
    expect(problems[0]?.message).toMatch(/it is not in the article/);
  });

  it('an unknown relationship type or status, or a fact with no evidence', () => {
    const facts = articleFacts();
    facts.relationships.push({ type: 'OWNS', from: 'company:xiaomi', to: 'company:lg', evidence: [] });
    facts.relationships[0].evidence[0].status = 'rumoured';
    const { problems } = problemsOf(writeFactsFile(facts));
    const last = facts.relationships.length - 1;
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        `relationships[${last}].type`,
        `relationships[${last}].evidence`,
        'relationships[0].evidence[0].status',
      ]),
    );
  });

  it('a wrong kind at one end, or a distribution without its market', () => {
    const facts = articleFacts();
    const distributes = facts.relationships.findIndex((r) => r.type === 'DISTRIBUTES');
    const { market: _omitted, ...withoutMarket } = facts.relationships[distributes];
    facts.relationships[distributes] = withoutMarket;
    facts.relationships.push({
      ...facts.relationships[0],
      type: 'MANUFACTURES',
      from: 'market:china',
      to: 'product:mi-tv-4',
    });
    const { problems } = problemsOf(writeFactsFile(facts));
    expect(problems).toEqual([
      { path: `relationships[${distributes}].market`, message: 'DISTRIBUTES needs the market it holds in' },
      {
        path: `relationships[${facts.relationships.length - 1}].from`,
        message: 'MANUFACTURES cannot start at a Market (market:china)',
      },
    ]);
  });

  it('a property a kind does not have', () => {
    const facts = articleFacts();
    const i = facts.entities.findIndex((e) => e.kind === 'Market');
    facts.entities[i].properties = { countryCode: 'KR', population: 51 };
    const { problems } = problemsOf(writeFactsFile(facts));
    expect(problems[0]?.path).toBe(`entities[${i}].properties`);
    expect(problems[0]?.message).toMatch(/population/);
  });
});
