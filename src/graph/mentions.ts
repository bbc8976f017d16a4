import type { Runner } from '../neo4j/driver.js';
import { foldName } from './names.js';

/** One occurrence of an entity's spelling in an article: offsets into the (NFC) text, end exclusive. */
export interface MentionSpan {
  entity: string;
  start: number;
  end: number;
  /** The text's own slice at [start, end). */
  quote: string;
}

/** What the scan needs to know of an entity a spelling names. */
export interface KnownEntity {
  id: string;
  kind: string;
  name: string;
  nameVi: string | null;
  aliases: readonly string[];
}

/**
 * The longest spelling looked for, in folded words. Vietnamese writes a word per syllable, so its names run
 * long ("Cộng hòa Xã hội chủ nghĩa Việt Nam" is 8 words; in the seed, the PR manager's Vietnamese name is 10
 * and a statement's 12); each word more adds one candidate per word of the text to the lookup.
 */
export const MAX_MENTION_WORDS = 12;

/**
 * No name is longer, and a pathological "word" must not swell the statement's parameters (the unique
 * constraint's index refuses keys over about 8 KB anyway).
 */
const MAX_KEY_LENGTH = 4_000;

/** A folded word of the text and the span of the original text it comes from. */
export interface TextWord {
  word: string;
  start: number;
  end: number;
}

const WORD_CHAR = /^[\p{L}\p{N}]$/u;

/** foldName's steps for one character: it may become nothing (a combining mark), or several characters. */
function foldChar(ch: string): string {
  return ch
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
}

/**
 * The text split into the words foldName would give it, each with the offsets (UTF-16 code units) of the
 * original characters it was folded from. A character that folds to nothing (a combining mark the text left
 * uncomposed) belongs to the word before it, so a quote never cuts a letter from its accent.
 */
export function foldedWords(text: string): TextWord[] {
  const words: TextWord[] = [];
  // Per call, not per module: a text repeats few distinct characters, and nothing outlives the scan.
  const folds = new Map<string, string>();
  let current: TextWord | null = null;
  let at = 0;
  for (const ch of text) {
    const start = at;
    at += ch.length;
    let folded = folds.get(ch);
    if (folded === undefined) {
      folded = foldChar(ch);
      folds.set(ch, folded);
    }
    if (folded === '') {
      if (current) current.end = at;
      continue;
    }
    for (const out of folded) {
      if (WORD_CHAR.test(out)) {
        if (!current) {
          current = { word: '', start, end: at };
          words.push(current);
        }
        current.word += out;
        current.end = at;
      } else {
        current = null;
      }
    }
  }
  return words;
}

/** Every run of up to MAX_MENTION_WORDS consecutive words of the text, folded: the keys worth looking up. */
export function candidateKeys(words: readonly TextWord[], maxWords = MAX_MENTION_WORDS): string[] {
  const grams = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    let gram = '';
    for (let n = 0; n < maxWords && i + n < words.length; n++) {
      gram = n === 0 ? (words[i]?.word ?? '') : `${gram} ${words[i + n]?.word}`;
      if (gram.length > MAX_KEY_LENGTH) break;
      grams.add(gram);
    }
  }
  return [...grams];
}

/** A key shorter than three letters ("lg", "us", "my" from "Mỹ") links only where the text spells it exactly. */
function isShortKey(key: string): boolean {
  return [...key.replaceAll(' ', '')].length < 3;
}

/**
 * The mentions in a text, given the entities each folded spelling names (articles left out: see
 * KEYS_IN_TEXT). Rules, chosen so that no mention is false:
 * - whole folded words only: "Mi" is not found in "Minh", nor "US" in "2.000USD";
 * - a key under three letters only where the text holds one of the entity's own spellings in its exact case
 *   ("LG", "Mỹ"; not "lg", nor the possessive "my"), since short keys are often common words once folded;
 * - from left to right, the longest key starting at a word wins and its words are taken: "Apple của Trung
 *   Quốc" mentions Xiaomi, not also Apple and China inside it;
 * - a key that names several entities links none of them (the facts file says which one it meant, and the
 *   ingest links that from the facts' own quotes), but still takes its words, so that a shorter key inside it
 *   is not linked in its place either;
 * - an excluded entity is never linked, but its spellings take their words too: excluding Xiaomi must not turn
 *   "Apple của Trung Quốc" into mentions of Apple and China.
 * Spans come in text order.
 */
export function matchMentions(
  text: string,
  entitiesByKey: ReadonlyMap<string, readonly KnownEntity[]>,
  exclude: readonly string[] = [],
  maxWords = MAX_MENTION_WORDS,
): MentionSpan[] {
  return matchWords(text, foldedWords(text), entitiesByKey, new Set(exclude), maxWords);
}

function matchWords(
  text: string,
  words: readonly TextWord[],
  entitiesByKey: ReadonlyMap<string, readonly KnownEntity[]>,
  exclude: ReadonlySet<string>,
  maxWords: number,
): MentionSpan[] {
  // The longest key starting with each word: most words of a text start none, and need no candidates.
  const longest = new Map<string, number>();
  for (const [key, entities] of entitiesByKey) {
    if (entities.length === 0) continue;
    const keyWords = key.split(' ');
    const first = keyWords[0] as string;
    longest.set(first, Math.max(longest.get(first) ?? 0, keyWords.length));
  }
  const spans: MentionSpan[] = [];
  let i = 0;
  while (i < words.length) {
    const first = words[i] as TextWord;
    const most = Math.min(maxWords, longest.get(first.word) ?? 0, words.length - i);
    const grams: string[] = [];
    for (let n = 0; n < most; n++) {
      const gram = n === 0 ? first.word : `${grams[n - 1]} ${words[i + n]?.word}`;
      if (gram.length > MAX_KEY_LENGTH) break;
      grams.push(gram);
    }
    let taken = 0;
    for (let n = grams.length; n >= 1 && taken === 0; n--) {
      const key = grams[n - 1] as string;
      let named = distinct(entitiesByKey.get(key) ?? []);
      if (named.length === 0) continue;
      const start = first.start;
      const end = (words[i + n - 1] as TextWord).end;
      const quote = text.slice(start, end);
      // The character-by-character fold equals foldName but for context-dependent case (a Greek final sigma):
      // such a quote is no mention of the key.
      if (foldName(quote) !== key) continue;
      if (isShortKey(key)) {
        const exact = quote.normalize('NFC');
        named = named.filter((e) =>
          [e.name, e.nameVi, ...e.aliases].some((s) => s != null && s.normalize('NFC') === exact),
        );
        if (named.length === 0) continue;
      }
      taken = n;
      const [only] = named;
      if (named.length === 1 && only && !exclude.has(only.id)) {
        spans.push({ entity: only.id, start, end, quote });
      }
    }
    i += Math.max(taken, 1);
  }
  return spans;
}

function distinct(entities: readonly KnownEntity[]): KnownEntity[] {
  const byId = new Map<string, KnownEntity>();
  for (const e of entities) byId.set(e.id, e);
  return [...byId.values()];
}

// Which spellings the text may contain, asked by its distinct words rather than by every run of words (a long
// article has hundreds of thousands of runs, a few thousand distinct words): for each word, the key that is the
// word and the keys that begin with it, two index seeks on the name_key unique constraint (an equality and a
// range), so the cost follows the text, not the graph. The hints hold the plan there: on a small graph the
// planner would rather scan. Only keys: their entities are read for the keys the text really has.
const KEYS_BY_FIRST_WORD = `
  UNWIND $words AS w
  CALL (w) {
    MATCH (k:NameKey) USING INDEX k:NameKey(key) WHERE k.key = w RETURN k.key AS key
    UNION
    MATCH (k:NameKey) USING INDEX k:NameKey(key) WHERE k.key STARTS WITH w + ' ' RETURN k.key AS key
  }
  RETURN DISTINCT key`;

// The entities of the keys found in the text. Articles are left out altogether, unlike excluded entities: an
// article's title is a key of it, and a headline quoted in a text is ordinary words, whose names are mentions
// (the seed article begins with its own title).
const ENTITIES_OF_KEYS = `
  MATCH (k:NameKey) USING INDEX k:NameKey(key) WHERE k.key IN $keys
  MATCH (k)-[:NAMES]->(e:Entity) WHERE NOT e:Article
  RETURN k.key AS key,
    collect({id: e.id, kind: e.kind, name: e.name, nameVi: e.nameVi, aliases: coalesce(e.aliases, [])}) AS entities`;

/**
 * Every occurrence in the text of a known entity's spelling, as the ingest links them (see matchMentions for
 * the rules); never an article, nor an entity in `exclude`. The text is the article's NFC-normalised text;
 * offsets are UTF-16 code units into it. Runs in the caller's transaction, so it sees the entities the ingest
 * has just written.
 */
export async function scanMentions(
  tx: Runner,
  text: string,
  exclude: readonly string[] = [],
): Promise<MentionSpan[]> {
  const words = foldedWords(text);
  if (words.length === 0) return [];
  const distinctWords = [...new Set(words.map((w) => w.word))];
  const keys = (await tx.run(KEYS_BY_FIRST_WORD, { words: distinctWords })).records.map(
    (r) => r.get('key') as string,
  );
  // Of the keys that begin with a word of the text, those the text has as a run of words.
  const grams = new Set(candidateKeys(words));
  const inText = keys.filter((k) => grams.has(k));
  if (inText.length === 0) return [];
  const result = await tx.run(ENTITIES_OF_KEYS, { keys: inText });
  const entitiesByKey = new Map<string, KnownEntity[]>();
  for (const r of result.records) entitiesByKey.set(r.get('key'), r.get('entities'));
  return matchWords(text, words, entitiesByKey, new Set(exclude), MAX_MENTION_WORDS);
}
