import { describe, expect, it } from 'vitest';
import {
  candidateKeys,
  foldedWords,
  type KnownEntity,
  MAX_MENTION_WORDS,
  type MentionSpan,
  matchMentions,
} from '../src/graph/mentions.js';
import { foldName } from '../src/graph/names.js';

function entity(id: string, name: string, aliases: string[] = [], nameVi: string | null = null): KnownEntity {
  return { id, kind: 'Company', name, nameVi, aliases };
}

/** The key -> entities map a lookup would give, from the entities' spellings, as the graph stores them. */
function keysOf(...entities: KnownEntity[]): Map<string, KnownEntity[]> {
  const byKey = new Map<string, KnownEntity[]>();
  for (const e of entities) {
    for (const key of new Set(
      [e.name, e.nameVi, ...e.aliases].filter((s): s is string => !!s).map(foldName),
    )) {
      byKey.set(key, [...(byKey.get(key) ?? []), e]);
    }
  }
  return byKey;
}

const brief = (spans: MentionSpan[]) => spans.map((s) => [s.entity, s.quote, s.start]);

const xiaomi = entity('company:xiaomi', 'Xiaomi', ['Apple của Trung Quốc']);
const apple = entity('company:apple', 'Apple', ['Apple Inc.']);
const china = entity('market:china', 'China', ['Trung Quốc'], 'Trung Quốc');
const korea = entity('market:south-korea', 'South Korea', ['Hàn Quốc', 'KR'], 'Hàn Quốc');
const lg = entity('company:lg', 'LG', ['LG Electronics']);
const us = entity('market:united-states', 'United States', ['US', 'Mỹ'], 'Mỹ');
const dat = entity('person:trong-dat', 'Trong Dat', ['Trọng Đạt'], 'Trọng Đạt');
const mi = entity('product:mi', 'Mi');
const koma = entity('company:koma-trade', 'Koma Trade');

describe('foldedWords: the words foldName gives a text, with their offsets', () => {
  it('gives exactly the words of foldName', () => {
    const vietnamese = 'àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ'.normalize('NFC');
    for (const text of [
      'Sau Trung Quốc, Việt Nam, Xiaomi tấn công vào quê hương Samsung',
      vietnamese,
      vietnamese.toUpperCase(),
      vietnamese.normalize('NFD'),
      '  "Apple của Trung Quốc" – 2.000USD; smartTV Mi TV 4… ĐẠT  ',
      '서울 Xơ-un 😀 x̃ İstanbul',
    ]) {
      expect(
        foldedWords(text)
          .map((w) => w.word)
          .join(' '),
        text,
      ).toBe(foldName(text));
    }
  });

  it('maps each word back to the original characters, in UTF-16 code units', () => {
    const text = '😀 Hàn-Quốc!';
    expect(foldedWords(text)).toEqual([
      { word: 'han', start: 3, end: 6 },
      { word: 'quoc', start: 7, end: 11 },
    ]);
  });

  it('keeps a combining mark the text left uncomposed with the letter before it', () => {
    const text = 'Mỹ x̃y'.normalize('NFD'); // M y ̃ space x ̃ y
    expect(foldedWords(text)).toEqual([
      { word: 'my', start: 0, end: 3 },
      { word: 'xy', start: 4, end: 7 },
    ]);
  });
});

describe('candidateKeys: what the lookup asks for', () => {
  it('gives every run of up to MAX_MENTION_WORDS words, once', () => {
    const words = foldedWords('a b a b');
    expect(candidateKeys(words).sort()).toEqual(['a', 'a b', 'a b a', 'a b a b', 'b', 'b a', 'b a b']);
    const long = foldedWords(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '));
    const keys = candidateKeys(long);
    expect(Math.max(...keys.map((k) => k.split(' ').length))).toBe(MAX_MENTION_WORDS);
    expect(keys).toHaveLength(
      Array.from({ length: 30 }, (_, i) => Math.min(MAX_MENTION_WORDS, 30 - i)).reduce((a, b) => a + b),
    );
  });
});

describe('matchMentions: every occurrence of a known spelling', () => {
  it('finds spellings whatever their diacritics and case, with the offsets of the original', () => {
    const text = 'Thị trường HAN QUOC và Hàn Quốc, hàn quốc.';
    const spans = matchMentions(text, keysOf(korea));
    expect(brief(spans)).toEqual([
      ['market:south-korea', 'HAN QUOC', 11],
      ['market:south-korea', 'Hàn Quốc', 23],
      ['market:south-korea', 'hàn quốc', 33],
    ]);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.quote);
  });

  it('folds đ to d', () => {
    expect(brief(matchMentions('Trọng Đạt viết; TRONG DAT; trọng đạt', keysOf(dat)))).toEqual([
      ['person:trong-dat', 'Trọng Đạt', 0],
      ['person:trong-dat', 'TRONG DAT', 16],
      ['person:trong-dat', 'trọng đạt', 27],
    ]);
  });

  it('reads punctuation as a word break, and leaves it out of the quote', () => {
    expect(brief(matchMentions('(Apple, Inc.) and Apple-Inc', keysOf(apple)))).toEqual([
      ['company:apple', 'Apple, Inc', 1],
      ['company:apple', 'Apple-Inc', 18],
    ]);
    expect(brief(matchMentions("Koma-Trade's «koma trade»", keysOf(koma)))).toEqual([
      ['company:koma-trade', 'Koma-Trade', 0],
      ['company:koma-trade', 'koma trade', 14],
    ]);
  });

  it('matches whole words only', () => {
    expect(
      matchMentions('Minh mua Mine, Mi3 và KomaTrade, Koma Trader, 2.000USD', keysOf(mi, koma, us)),
    ).toEqual([]);
    expect(brief(matchMentions('Xiaomis, Xiaomi3 và Xiaomi', keysOf(xiaomi)))).toEqual([
      ['company:xiaomi', 'Xiaomi', 20],
    ]);
  });

  it('links a spelling under three letters only where the text has it in its exact case', () => {
    const keys = keysOf(lg, us, mi, korea);
    expect(brief(matchMentions('LG, lg, Lg; US, us, Us; Mỹ, mỹ, MỸ, my; Mi, mi, MI; KR kr', keys))).toEqual([
      ['company:lg', 'LG', 0],
      ['market:united-states', 'US', 12],
      ['market:united-states', 'Mỹ', 24],
      ['product:mi', 'Mi', 40],
      ['market:south-korea', 'KR', 52],
    ]);
    // Three letters and more link folded, as any other spelling.
    expect(brief(matchMentions('lg electronics', keys))).toEqual([['company:lg', 'lg electronics', 0]]);
  });

  it('prefers the longest match starting earliest', () => {
    const xiaomiKorea = entity('company:xiaomi-korea', 'Xiaomi Korea');
    const keys = keysOf(xiaomi, xiaomiKorea, apple, china, korea);
    expect(brief(matchMentions('Xiaomi Korea, Xiaomi, "Apple của Trung Quốc", Trung Quốc', keys))).toEqual([
      ['company:xiaomi-korea', 'Xiaomi Korea', 0],
      ['company:xiaomi', 'Xiaomi', 14],
      ['company:xiaomi', 'Apple của Trung Quốc', 23],
      ['market:china', 'Trung Quốc', 46],
    ]);
    // The earliest start wins over a longer match starting inside it.
    const samsungKorea = entity('company:samsung-korea', 'Korea Samsung Group');
    const chinaKorea = entity('x:china-korea', 'Trung Quốc Hàn');
    expect(
      brief(matchMentions('Trung Quốc Hàn Korea Samsung Group', keysOf(chinaKorea, samsungKorea))),
    ).toEqual([
      ['x:china-korea', 'Trung Quốc Hàn', 0],
      ['company:samsung-korea', 'Korea Samsung Group', 15],
    ]);
  });

  it('links none of several entities one spelling names, nor a shorter spelling inside it', () => {
    const appleFruit = entity('product:apple-fruit', 'Apple Inc');
    const keys = keysOf(xiaomi, apple, appleFruit, china);
    expect(brief(matchMentions('Apple Inc. ở Trung Quốc; Apple', keys))).toEqual([
      ['market:china', 'Trung Quốc', 13],
      ['company:apple', 'Apple', 25],
    ]);
  });

  it('never links an excluded entity, nor a shorter spelling inside one of its spellings', () => {
    const keys = keysOf(xiaomi, apple, china);
    expect(
      brief(matchMentions('Xiaomi, "Apple của Trung Quốc", và Apple', keys, ['company:xiaomi'])),
    ).toEqual([['company:apple', 'Apple', 35]]);
  });

  it('gives offsets into the text as given, around astral and decomposed characters', () => {
    const text = '😀😀 Mỹ và Hàn Quốc 🇰🇷 Trọng Đạt'.normalize('NFD');
    const spans = matchMentions(text, keysOf(us, korea, dat));
    expect(spans.map((s) => s.entity)).toEqual([
      'market:united-states',
      'market:south-korea',
      'person:trong-dat',
    ]);
    for (const s of spans) {
      expect(text.slice(s.start, s.end)).toBe(s.quote);
      // The quote keeps every accent of its last letter, and nothing around it.
      expect(s.quote.normalize('NFC')).toMatch(/^(Mỹ|Hàn Quốc|Trọng Đạt)$/);
    }
    expect(spans[0]?.start).toBe(5);
  });

  it('finds nothing in a text without letters, or with no known spelling', () => {
    expect(matchMentions('', keysOf(xiaomi))).toEqual([]);
    expect(matchMentions(' — … 😀 ', keysOf(xiaomi))).toEqual([]);
    expect(matchMentions('Xiaomi', new Map())).toEqual([]);
  });
});
