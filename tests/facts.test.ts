import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FactsError, readFacts } from '../src/facts/file.js';
import { articleFacts, type Facts, writeFactsFile } from './support/facts.js';
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
    expect(facts.entities.filter((e) => !linked.has(e.ref)).map((e) => e.ref)).toEqual([]);
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
    expect(problems).toEqual([
      {
        path: 'relationships[3].to',
        message:
          'unknown entity "company:nobody": neither an id nor the name of an entity without one in this document',
      },
    ]);
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

/** A small facts with its text inline and no offsets: two companies and one fact. */
function inlineFacts(text: string, quote: string): Facts {
  return {
    article: { id: 'article:inline-test', title: 'Inline test', language: 'en', text },
    entities: [
      { id: 'company:inline-a', kind: 'Company', name: 'Alpha Inline' },
      { id: 'company:inline-b', kind: 'Company', name: 'Beta Inline' },
    ],
    relationships: [
      {
        type: 'COMPETES_WITH',
        from: 'company:inline-a',
        to: 'company:inline-b',
        evidence: [{ quote, status: 'stated' }],
      },
    ],
  };
}

describe('the article text and the place of each quote', () => {
  const sentence = 'Alpha Inline competes with Beta Inline in Hà Nội.';
  const text = `Market news. ${sentence} More news.`;

  it('takes the text inline, with its provenance, and finds a quote given without offsets', () => {
    const facts = inlineFacts(text, sentence);
    Object.assign(facts.article, {
      url: 'https://example.com/news/1',
      publishedAt: '2024-05-02',
      publisher: 'Example News',
    });
    const read = readFacts(writeFactsFile(facts));
    expect(read.article).toMatchObject({
      text,
      file: null,
      url: 'https://example.com/news/1',
      publishedAt: '2024-05-02',
      publisher: 'Example News',
    });
    expect(read.relationships[0]?.evidence).toEqual([
      {
        quote: sentence,
        start: 13,
        end: 13 + sentence.length,
        // Both anchors, as W3C Web Annotation keeps them: the offsets, and the text either side of the quote.
        prefix: 'Market news. ',
        suffix: ' More news.',
        status: 'stated',
        article: 'article:inline-test',
      },
    ]);
  });

  it('takes the text from the file beside the facts file, finding quotes there too', () => {
    const facts = articleFacts();
    const ev = facts.relationships[0].evidence[0];
    const { start, end } = ev;
    delete ev.start;
    delete ev.end;
    const read = readFacts(writeFactsFile(facts));
    expect(read.article.file).toBe('xiaomi-korea.vi.txt');
    expect(read.relationships[0]?.evidence[0]).toMatchObject({ quote: ev.quote, start, end });
  });

  it('refuses an article with both text and file, or neither', () => {
    const both = inlineFacts(text, sentence);
    both.article.file = 'xiaomi-korea.vi.txt';
    expect(problemsOf(writeFactsFile(both)).problems).toEqual([
      {
        path: 'article',
        message: "give the article's text inline (text) or the file that holds it (file), not both",
      },
    ]);
    const neither = inlineFacts(text, sentence);
    delete neither.article.text;
    expect(problemsOf(writeFactsFile(neither)).problems).toEqual([
      {
        path: 'article',
        message: "give the article's text inline (text) or the file that holds it (file), one of them",
      },
    ]);
  });

  it('refuses a quote that is not in the text, naming its first 60 characters', () => {
    const quote =
      'Gamma Inline bought Alpha Inline, which nobody in the market had expected this year at all.';
    const { problems } = problemsOf(writeFactsFile(inlineFacts(text, quote)));
    expect(problems).toEqual([
      {
        path: 'relationships[0].evidence[0].quote',
        message: `quote ${JSON.stringify(`${quote.slice(0, 60)}…`)} is not in the article`,
      },
    ]);
  });

  it('refuses a quote found more than once without offsets, listing where it occurs', () => {
    const { problems } = problemsOf(writeFactsFile(inlineFacts(`${text} ${sentence}`, sentence)));
    const second = text.length + 1;
    expect(problems).toEqual([
      {
        path: 'relationships[0].evidence[0].quote',
        message:
          `quote ${JSON.stringify(sentence)} occurs 2 times in the article, at ` +
          `13..${13 + sentence.length}, ${second}..${second + sentence.length}: give start and end to choose one`,
      },
    ]);
  });

  it('takes offsets that choose one of several occurrences, and checks them', () => {
    const twice = `${text} ${sentence}`;
    const second = text.length + 1;
    const facts = inlineFacts(twice, sentence);
    facts.relationships[0].evidence[0] = {
      quote: sentence,
      start: second,
      end: second + sentence.length,
      status: 'stated',
    };
    expect(readFacts(writeFactsFile(facts)).relationships[0]?.evidence[0]).toMatchObject({ start: second });
    facts.relationships[0].evidence[0].start = 0;
    expect(problemsOf(writeFactsFile(facts)).problems[0]?.message).toMatch(/^quote not found at 0\.\.\d+ /);
  });

  it('refuses a start without an end', () => {
    const facts = inlineFacts(text, sentence);
    facts.relationships[0].evidence[0].start = 13;
    expect(problemsOf(writeFactsFile(facts)).problems.map((p) => p.path)).toEqual([
      'relationships[0].evidence[0].start',
    ]);
  });

  it('matches a composed quote in a decomposed text (and the reverse), storing both composed', () => {
    const nfc = sentence.normalize('NFC');
    const nfd = sentence.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    for (const [t, q] of [
      [text.normalize('NFD'), nfc],
      [text.normalize('NFC'), nfd],
    ]) {
      const read = readFacts(writeFactsFile(inlineFacts(t ?? '', q ?? '')));
      const [ev] = read.relationships[0]?.evidence ?? [];
      expect(read.article.text).toBe(text.normalize('NFC'));
      expect(ev?.quote).toBe(nfc);
      expect(read.article.text.slice(ev?.start, ev?.end)).toBe(nfc);
    }
  });
});
