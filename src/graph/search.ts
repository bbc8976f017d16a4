import { int } from 'neo4j-driver';
import type { Runner } from '../neo4j/driver.js';
import type { EntityKind } from './model.js';
import { foldName } from './names.js';
import { type EntityPlan, Statement, toProjected } from './projection.js';
import type { EntityRecord } from './records.js';

/** The full-text index over name, nameVi and aliases (schema/constraints.cypher). */
export const SEARCH_INDEX = 'entity_search';

/**
 * Longer text is refused rather than cut: each word adds up to nine Lucene clauses (three per indexed property),
 * and fuzzy words expand further, so a pasted paragraph could exceed Lucene's clause limit.
 */
export const MAX_SEARCH_WORDS = 16;
/** Longer words make Lucene's typo and prefix automata too large; no name in any language needs more. */
export const MAX_WORD_LENGTH = 60;

/** The English stop words the index's analyzer (standard-folding) drops: listAvailableAnalyzers() gives them. */
export const ANALYZER_STOP_WORDS: ReadonlySet<string> = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(
    ' ',
  ),
);

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

/**
 * The Lucene query for a search text. It is built only from folded words (letters and digits, lower case), so
 * no Lucene syntax from the text survives: operators, quotes, wildcards and field names are all gone.
 *
 * The whole text as a phrase scores highest; otherwise every word must match, as itself, as the start of a
 * word, or (four letters and more) one edit away. Stop words are not in the index, so they only count in the
 * phrase. Single letters and digits only add to the score: folding cuts "Samsung's" into "samsung s" while the
 * index keeps "samsung's" whole, so requiring "s" would lose the hit.
 */
export function luceneQuery(words: readonly string[]): string {
  if (words.length === 0) throw new RangeError('a search needs at least one word');
  const forms = (w: string) => {
    const f = [`${w}^3`, `${w}*^2`];
    if (w.length >= 4) f.push(`${w}~1`);
    return `(${f.join(' OR ')})`;
  };
  const indexed = words.filter((w) => !ANALYZER_STOP_WORDS.has(w));
  const required = indexed.filter((w) => w.length > 1);
  // Text of stop words alone ("to") can only match as word beginnings ("top"): the analyzer drops the rest.
  const clauses =
    required.length > 0
      ? [...required.map((w) => `+${forms(w)}`), ...indexed.filter((w) => w.length === 1).map(forms)]
      : (indexed.length > 0 ? indexed : words).map(forms);
  return `"${words.join(' ')}"^4 OR (${clauses.join(' ')})`;
}

/**
 * One round trip. Lucene finds the candidates and scores them (relevance, relative to the best hit); each hit
 * then gets a fit from its folded spellings (NameKey keys): 1 when one equals the whole text, 0.5 to 0.9 when one
 * starts with it, 0.25 to 0.45 when a word inside one does, more the more of the spelling the text covers, 0
 * otherwise. score = 0.9 fit + 0.1 relevance: a spelling that holds the whole text ranks above one that only
 * shares words with it, and among prefixes the shortest completion wins ("xiao" is Xiaomi before Xiaomi
 * laptops), which Lucene alone cannot tell because it scores every prefix match alike.
 */
export const searchCypher = (projection: string) => `
  CALL db.index.fulltext.queryNodes('${SEARCH_INDEX}', $query, {limit: $candidates}) YIELD node, score
  WHERE $kinds IS NULL OR node.kind IN $kinds
  WITH collect({node: node, score: score}) AS hits, max(score) AS top
  UNWIND hits AS hit
  WITH hit.node AS n, hit.score / top AS relevance
  OPTIONAL CALL (n) {
    MATCH (k:NameKey)-[:NAMES]->(n)
    WITH k.key AS key, toFloat(size($text)) / size(k.key) AS cover
    WITH key, CASE
      WHEN key = $text THEN 1.0
      WHEN key STARTS WITH $text THEN 0.5 + 0.4 * cover
      WHEN key CONTAINS ' ' + $text THEN 0.25 + 0.2 * cover
      ELSE 0.0 END AS fit
    RETURN key, fit ORDER BY fit DESC, size(key) LIMIT 1
  }
  WITH n, CASE WHEN fit > 0 THEN key END AS key, 0.9 * coalesce(fit, 0.0) + 0.1 * relevance AS score
  WITH n, key, score ORDER BY score DESC, n.sortName, n.id LIMIT $first
  RETURN ${projection} AS n, key, score`;

export const SEARCH_CYPHER = searchCypher('n');

/**
 * How many of Lucene's best hits are ranked by name fit: enough that an exact or prefix spelling is among them
 * (the phrase and exact-word boosts put those first), few enough that a common word does not read every hit.
 */
export const SEARCH_CANDIDATES = 200;

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
