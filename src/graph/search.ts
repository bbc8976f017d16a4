import { int } from 'neo4j-driver';
import type { Runner } from '../neo4j/driver.js';
import type { EntityKind } from './model.js';
import { foldName } from './names.js';
import { type EntityPlan, Statement, toProjected } from './projection.js';
import type { EntityRecord } from './records.js';

/**
 * The full-text index over the folded spellings (NameKey.key, schema/constraints.cypher): one Lucene document
 * per spelling, already lower case and without diacritics, split on spaces only and with no stop words.
 */
export const SEARCH_INDEX = 'entity_search';

/**
 * Longer text is refused rather than cut: each word adds a few Lucene clauses (itself, its beginning, its
 * typos, its join with the next word, its splits in two), so a pasted paragraph could exceed Lucene's clause
 * limit.
 */
export const MAX_SEARCH_WORDS = 16;
/** Longer words make Lucene's typo and prefix automata too large; no name in any language needs more. */
export const MAX_WORD_LENGTH = 60;
/**
 * Words are tried as two (a space forgotten) up to this length, and a text as at most this many such pairs:
 * each pair is a phrase of two Lucene clauses, and Lucene refuses a query of more than 1,024 clauses (typos
 * expand into up to 50 each).
 */
export const MAX_SPLIT_LENGTH = 16;
export const MAX_SPLITS = 48;

/** How much a query word is worth when it is only the beginning of a word of the spelling, or one typo away. */
export const PREFIX_FIT = 0.9;
export const TYPO_FIT = 0.75;
/** A match across a space the text and the spelling place differently ("xiao mi", "komatrade"). */
export const SPACING_FIT = 0.95;

export interface SearchOptions {
  text: string;
  /** Only these kinds; null for all. */
  kinds: readonly EntityKind[] | null;
  first: number;
}

export interface SearchHit {
  entity: EntityRecord;
  /** 0 to 1, higher is better; hits come in descending score. */
  score: number;
  /** The name, Vietnamese name or alias, as spelt in the data, that best explains the hit. */
  matched: string;
}

/** The words of a search text in their folded form; none when the text has no letter or digit. */
export function searchWords(text: string): string[] {
  const folded = foldName(text);
  return folded === '' ? [] : folded.split(' ');
}

/** A word cut in two, both halves of two letters or more ("komatrade": "ko matrade", ..., "koma trade", ...). */
function splits(word: string): string[] {
  if (word.length < 4 || word.length > MAX_SPLIT_LENGTH) return [];
  return Array.from({ length: word.length - 3 }, (_, i) => `${word.slice(0, i + 2)} ${word.slice(i + 2)}`);
}

/**
 * The Lucene query for a search text: the spellings sharing any word with it, in any of the forms the ranking
 * counts. It is built only from folded words (letters and digits, lower case), so no Lucene syntax from the
 * text survives: operators, quotes, wildcards and field names are all gone.
 *
 * Every clause is optional: the whole text as a phrase, then each word as itself, as the start of a word and
 * (four letters and more) one edit away; each two neighbouring words written as one ("xiao mi": "xiaomi") in
 * the same three forms; each word cut in two, as a phrase ("komatrade": "koma trade"). Lucene only gathers
 * the candidates; searchCypher ranks them by how much of the text and of the spelling they explain.
 */
export function luceneQuery(words: readonly string[]): string {
  if (words.length === 0) throw new RangeError('a search needs at least one word');
  const forms = (w: string) => {
    const f = [`${w}^3`, `${w}*^2`];
    if (w.length >= 4) f.push(`${w}~1`);
    return `(${f.join(' OR ')})`;
  };
  const joined = words.slice(1).map((w, i) => `${words[i]}${w}`);
  const clauses = [
    ...(words.length > 1 ? [`"${words.join(' ')}"^4`] : []),
    ...words.map(forms),
    ...joined.map(forms),
    ...words
      .flatMap(splits)
      .slice(0, MAX_SPLITS)
      .map((s) => `"${s}"^2`),
  ];
  return clauses.join(' OR ');
}

/**
 * How a word of the text (or two of them written together) matches a word of a spelling (or two of them
 * written together): 3 the same, 2 the beginning of it (where `prefix` holds), 1 one edit away (Lucene's fuzzy
 * distance 1: an insertion, deletion, substitution or swap of neighbours, for words of four letters and more),
 * 0 not at all. `p` is where the two first differ.
 */
const matchCode = (a: string, b: string, prefix: string) => `CASE
        WHEN ${a} = ${b} THEN 3
        WHEN ${prefix} AND ${b} STARTS WITH ${a} THEN 2
        WHEN size(${a}) < 4 OR abs(size(${a}) - size(${b})) > 1 THEN 0
        ELSE head([p IN [coalesce(head([i IN range(0, size(${a}) - 1) WHERE substring(${a}, i, 1) <> substring(${b}, i, 1)]), size(${a}))] |
          CASE WHEN
            (size(${a}) = size(${b}) AND (substring(${a}, p + 1) = substring(${b}, p + 1) OR (substring(${a}, p, 1) = substring(${b}, p + 1, 1) AND substring(${a}, p + 1, 1) = substring(${b}, p, 1) AND substring(${a}, p + 2) = substring(${b}, p + 2))))
            OR (size(${a}) = size(${b}) + 1 AND substring(${a}, p + 1) = substring(${b}, p))
            OR (size(${a}) + 1 = size(${b}) AND substring(${a}, p) = substring(${b}, p + 1))
          THEN 1 ELSE 0 END])
      END`;

/** The largest of a list of numbers, 0 for none. */
const largest = (list: string) => `reduce(x = 0.0, v IN ${list} | CASE WHEN v > x THEN v ELSE x END)`;

/**
 * One round trip. Lucene finds the candidate spellings (NameKey keys) and scores them (relevance, relative to
 * the best); each spelling is then compared with the text word by word. Units are the words of each side plus
 * each two neighbouring words written together; a match between units is exact, a prefix or a typo
 * (matchCode), and one across a differently placed space counts SPACING_FIT of it.
 *
 * - explained: the mean over the text's words of how well each is matched (1, PREFIX_FIT, TYPO_FIT, 0): how
 *   much of the text the spelling explains. A word the data lacks lowers it; it never removes the hit.
 * - covered: the share of the spelling's letters the text matches (a prefix covers its own letters), so the
 *   spelling that is nothing but the text ranks above longer ones holding it ("xiomi" is Xiaomi before Xiaomi
 *   laptops).
 * - fit = explained * (0.75 + 0.25 covered): 1 when the spelling equals the text; explaining all the words
 *   comes before covering the spelling.
 *
 * Each entity keeps its best spelling, and its fit is the score; among equal scores the higher relevance
 * comes first. Every clause of luceneQuery is one of these matches, so every hit scores above 0.
 */
export const searchCypher = (projection: string) => `
  CALL db.index.fulltext.queryNodes('${SEARCH_INDEX}', $query, {limit: $candidates}) YIELD node AS k, score
  MATCH (k)-[:NAMES]->(n:Entity)
  WHERE $kinds IS NULL OR n.kind IN $kinds
  WITH collect({n: n, key: k.key, score: score}) AS hits, max(score) AS top, split($text, ' ') AS qw
  WITH hits, top, qw, size(qw) AS nq, qw + [i IN range(0, size(qw) - 2) | qw[i] + qw[i + 1]] AS qu
  UNWIND hits AS hit
  WITH hit, top, qw, nq, qu, split(hit.key, ' ') AS kw
  WITH hit, top, qw, nq, qu, kw, size(kw) AS nk, kw + [j IN range(0, size(kw) - 2) | kw[j] + kw[j + 1]] AS ku
  // The beginning of two words of the spelling written together only begins the first: it is no match.
  WITH hit, top, nq, nk, qu, ku, kw,
    [a IN range(0, size(qu) - 1) | [b IN range(0, size(ku) - 1) |
      CASE WHEN a >= nq AND b >= nk THEN 0 ELSE ${matchCode('qu[a]', 'ku[b]', 'b < nk')} END]] AS m
  WITH hit, top, nq, nk, kw,
    [a IN range(0, size(qu) - 1) | [b IN range(0, size(ku) - 1) |
      [0.0, ${TYPO_FIT}, ${PREFIX_FIT}, 1.0][m[a][b]] * CASE WHEN a >= nq OR b >= nk THEN ${SPACING_FIT} ELSE 1.0 END]] AS value,
    [a IN range(0, size(qu) - 1) | [b IN range(0, size(ku) - 1) |
      CASE WHEN m[a][b] = 2 THEN toFloat(size(qu[a])) / size(ku[b]) ELSE [0.0, ${TYPO_FIT}, 0.0, 1.0][m[a][b]] END
        * CASE WHEN a >= nq OR b >= nk THEN ${SPACING_FIT} ELSE 1.0 END]] AS cover
  WITH hit, top, kw,
    [i IN range(0, nq - 1) | ${largest(
      `[a IN [i] + CASE WHEN i < nq - 1 THEN [nq + i] ELSE [] END + CASE WHEN i > 0 THEN [nq + i - 1] ELSE [] END | ${largest('value[a]')}]`,
    )}] AS byWord,
    [j IN range(0, nk - 1) | ${largest(
      `[b IN [j] + CASE WHEN j < nk - 1 THEN [nk + j] ELSE [] END + CASE WHEN j > 0 THEN [nk + j - 1] ELSE [] END | ${largest('[row IN cover | row[b]]')}]`,
    )}] AS byKeyWord
  WITH hit.n AS n, hit.key AS key, hit.score / top AS relevance,
    reduce(s = 0.0, v IN byWord | s + v) / size(byWord) AS explained,
    reduce(s = 0.0, j IN range(0, size(kw) - 1) | s + byKeyWord[j] * size(kw[j])) / size(replace(hit.key, ' ', '')) AS covered
  WITH n, key, relevance, explained * (0.75 + 0.25 * covered) AS fit
  ORDER BY fit DESC, size(key), key
  WITH n, collect(key)[0] AS key, max(fit) AS score, max(relevance) AS relevance
  WITH n, key, score ORDER BY score DESC, relevance DESC, n.sortName, n.id LIMIT $first
  RETURN ${projection} AS n, key, score`;

export const SEARCH_CYPHER = searchCypher('n');

/**
 * How many of Lucene's best spellings are ranked: enough that the exact and closest ones are among them (the
 * phrase and exact-word boosts put those first), few enough that a common word does not read every spelling.
 * Comparing a spelling word by word is string work in Cypher: 200 candidates halved the requests per second
 * of `search "xiao"` at 10k entities against 50 (npm run bench -- --quick), with the same answers in every
 * search case of the tests.
 */
export const SEARCH_CANDIDATES = 50;

export async function searchEntities(tx: Runner, o: SearchOptions, plan: EntityPlan): Promise<SearchHit[]> {
  const words = searchWords(o.text);
  const s = new Statement();
  // `matched` is chosen among the entity's own spellings.
  const read: EntityPlan =
    plan.props === 'all'
      ? plan
      : { ...plan, props: new Set([...plan.props, 'name', 'nameVi', 'aliases'] as const) };
  const r = await tx.run(searchCypher(s.entity('n', read)), {
    ...s.params,
    query: luceneQuery(words),
    text: words.join(' '),
    kinds: o.kinds,
    first: int(o.first),
    // With a kind filter, Lucene's best hits may all be of other kinds.
    candidates: int(o.kinds ? SEARCH_CANDIDATES * 5 : SEARCH_CANDIDATES),
  });
  const candidates = s.candidates([]);
  return r.records.map((rec) => {
    const entity = toProjected(rec.get('n'), read, candidates);
    return {
      entity,
      score: Math.round((rec.get('score') as number) * 10_000) / 10_000,
      matched: bestSpelling(entity, o.text, rec.get('key') as string | null),
    };
  });
}

/** How many names a NOT_FOUND suggests at most. */
export const SUGGESTIONS = 5;
/**
 * How well a hit must fit to be suggested: below it, a hit explains under a third of the term's words, or a
 * few of them inside a long spelling, too little to be what the user meant.
 */
export const SUGGESTION_MIN_SCORE = 0.3;

/**
 * The names of the entities (of these kinds; null for all) a name that matched nothing probably meant: the
 * best search hits for it, each name once. One statement, run only once a name was not found; none when the
 * term is no text search takes.
 */
export async function suggestNames(
  tx: Runner,
  term: string,
  kinds: readonly EntityKind[] | null,
): Promise<string[]> {
  const words = searchWords(term);
  if (
    words.length === 0 ||
    words.length > MAX_SEARCH_WORDS ||
    words.some((w) => w.length > MAX_WORD_LENGTH)
  ) {
    return [];
  }
  const r = await tx.run(searchCypher('n.name'), {
    query: luceneQuery(words),
    text: words.join(' '),
    kinds,
    first: int(SUGGESTIONS),
    candidates: int(kinds ? SEARCH_CANDIDATES * 5 : SEARCH_CANDIDATES),
  });
  const names = r.records
    .filter((rec) => (rec.get('score') as number) >= SUGGESTION_MIN_SCORE)
    .map((rec) => rec.get('n') as string);
  return [...new Set(names)];
}

/** The entity's own spellings, the name first: on a tie the earlier one explains the hit. */
function spellingsOf(e: EntityRecord): string[] {
  return [e.name, ...(e.nameVi ? [e.nameVi] : []), ...e.aliases];
}

/**
 * The spelling that explains a hit. When the query found a spelling holding the whole text (its folded key), that
 * one; otherwise the spelling sharing the most words with the text, by the same rules as the Lucene query (same
 * word, start of a word, one edit away).
 */
export function bestSpelling(e: EntityRecord, text: string, key: string | null): string {
  const spellings = spellingsOf(e);
  if (key !== null) {
    // "Trong Dat" and "Trọng Đạt" fold alike: the one written as the user wrote it explains the hit better.
    const same = spellings.filter((s) => foldName(s) === key);
    const typed = text.trim().normalize('NFC').toLowerCase();
    const exact = same.find((s) => s.normalize('NFC').toLowerCase() === typed) ?? same[0];
    if (exact) return exact;
  }
  const words = searchWords(text);
  let best = e.name;
  let bestScore = 0;
  for (const s of spellings) {
    const own = searchWords(s);
    const score = words.reduce((sum, w) => sum + Math.max(0, ...own.map((o) => wordMatch(w, o))), 0);
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best;
}

function wordMatch(word: string, candidate: string): number {
  if (word === candidate) return 3;
  if (candidate.startsWith(word)) return 2;
  if (word.length >= 4 && withinOneEdit(word, candidate)) return 1;
  return 0;
}

/** Lucene's fuzzy distance 1: one insertion, deletion, substitution or swap of neighbours. */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
