/**
 * One large facts document in the ingest format (text inline, quotes with their offsets), built in memory: for
 * tests that need an ingest to take a while (killed midway) or several ingests that share entities (run at once).
 *
 * Every new entity's name starts with `names` (a capitalised word), so documents built with the same `names`
 * speak of the same new entities, under the same spellings, and documents with different ones share none. Each
 * document also names the seed's Xiaomi and South Korea by id, so it touches existing entities too (Xiaomi gains
 * an alias).
 */
import type { EvidenceStatus } from '../src/graph/model.js';

export interface BigDocumentOptions {
  /** The article's id (`article:<something>`). */
  article: string;
  /** The first word of every new entity's name, e.g. `Kraxo`. */
  names: string;
  products: number;
  /** Companies the products are spread over; default a tenth of the products (at least 2). */
  companies?: number;
  /** Give the new entities ids (`company:<names>-<tag>`), or leave them to be resolved (or created) by name. */
  ids?: boolean;
  /** The first product's index: documents with overlapping ranges share those products (companies always start
   * at 0, so documents with the same `names` share them). */
  from?: number;
  /** A word added to every new entity's aliases and to Xiaomi's: documents with different ones each bring a
   * spelling of their own to the entities they share. */
  extraAlias?: string;
  /** The article's title; default `<names> market digest (synthetic)`. */
  title?: string;
}

interface RawEntity {
  id?: string;
  kind: string;
  name: string;
  aliases: string[];
  description?: string;
  properties?: Record<string, string | number>;
}

interface RawRelationship {
  type: string;
  from: string;
  to: string;
  market?: string;
  evidence: { quote: string; start: number; end: number; status: EvidenceStatus }[];
}

export interface RawFacts {
  article: { id: string; title: string; language: string; text: string; publisher: string };
  entities: RawEntity[];
  relationships: RawRelationship[];
}

export const XIAOMI = 'company:xiaomi';
export const KOREA = 'market:south-korea';

/** A name tag from an index, letters only and at least three of them: 0 → "baa", 1 → "bab". */
export function tag(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return `b${s.padStart(2, 'a')}`;
}

const STATUSES: EvidenceStatus[] = ['stated', 'reported', 'confirmed', 'speculated'];

/** The document: `products` products, each made by one company and distributed by another in South Korea. */
export function bigDocument(o: BigDocumentOptions): RawFacts {
  const from = o.from ?? 0;
  const companyCount = o.companies ?? Math.max(2, Math.floor(o.products / 10));
  const slug = o.names.toLowerCase();
  let text = `${o.names} market digest (synthetic, for tests)\n\n`;
  const relationships: RawRelationship[] = [];
  const say = (sentence: string, i: number) => {
    const start = text.length;
    text += `${sentence} `;
    return [
      { quote: sentence, start, end: start + sentence.length, status: STATUSES[i % 4] as EvidenceStatus },
    ];
  };

  const company = (i: number): RawEntity => ({
    ...(o.ids ? { id: `company:${slug}-${tag(i)}` } : {}),
    kind: 'Company',
    name: `${o.names} Trading ${tag(i)}`,
    aliases: [
      `${o.names} ${tag(i)} Group`,
      ...(o.extraAlias ? [`${o.names} ${tag(i)} ${o.extraAlias}`] : []),
    ],
    description: 'Synthetic distributor.',
  });
  const product = (i: number): RawEntity => ({
    ...(o.ids ? { id: `product:${slug}-${tag(i)}` } : {}),
    kind: 'Product',
    name: `${o.names} Phone ${tag(i)}`,
    aliases: o.extraAlias ? [`${o.names} Phone ${tag(i)} ${o.extraAlias}`] : [],
    properties: { category: 'smartphone', priceUpToUsd: 100 + (i % 20) * 25 },
  });
  // A relationship names an entity by its id, or by its name when it has none.
  const ref = (e: RawEntity) => e.id ?? e.name;

  const companies = Array.from({ length: companyCount }, (_, k) => company(k));
  const products = Array.from({ length: o.products }, (_, k) => product(from + k));
  for (const [k, c] of companies.entries()) {
    relationships.push({
      type: 'COMPETES_WITH',
      from: ref(c),
      to: XIAOMI,
      evidence: say(`${c.name} competes with Xiaomi.`, k),
    });
  }
  for (const [k, p] of products.entries()) {
    const maker = companies[k % companyCount] as RawEntity;
    const seller = companies[(k * 7 + 3) % companyCount] as RawEntity;
    relationships.push({
      type: 'MANUFACTURES',
      from: ref(maker),
      to: ref(p),
      evidence: say(`${maker.name} makes the ${p.name}.`, k),
    });
    relationships.push({
      type: 'DISTRIBUTES',
      from: ref(seller),
      to: ref(p),
      market: KOREA,
      evidence: say(`${seller.name} distributes the ${p.name} in South Korea.`, k + 1),
    });
  }
  return {
    article: {
      id: o.article,
      title: o.title ?? `${o.names} market digest (synthetic)`,
      language: 'en',
      text: text.trimEnd(),
      publisher: 'marketgraph tests',
    },
    entities: [
      {
        id: XIAOMI,
        kind: 'Company',
        name: 'Xiaomi',
        aliases: [`${o.names} Xiaomi`, ...(o.extraAlias ? [`${o.names} Xiaomi ${o.extraAlias}`] : [])],
      },
      { id: KOREA, kind: 'Market', name: 'South Korea', aliases: [] },
      ...companies,
      ...products,
    ],
    relationships,
  };
}
