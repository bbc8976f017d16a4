/**
 * A deterministic synthetic corpus in the project's facts format, for loading and querying at scale.
 * Usage: tsx bench/generate.ts --entities 10000 [--seed 1] --out DIR
 *
 * The corpus is a set of articles (one facts file and one .txt each). Every generated entity belongs to one
 * article, which states its outgoing facts; the entities at the other end of those facts are declared again,
 * identically, in that file, so each file validates and loads on its own. Degrees are skewed like a real market:
 * brands own Zipf-sized blocks of products, distributors and cities cluster in a few big markets, and the
 * seed's companies (Samsung, Xiaomi, LG, Apple) rank among the biggest brands, so questions about them grow
 * heavier with size. No generated fact puts a Xiaomi product in South Korea's distribution, so the seed's
 * headline answer (Koma Trade and Nanjing Youmi) holds at every size, and no generated name folds to a
 * spelling the seed uses.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EvidenceStatus } from '../src/graph/model.js';
import { foldName } from '../src/graph/names.js';

const loadFacts = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../facts/xiaomi-korea.facts.json',
);

/** Entities each article owns; with the endpoints it re-declares a file holds about twice as many. */
const OWNED_PER_FILE = 2_000;
/** Every generated id starts with one of these, so generated data can be found and removed. */
export const GENERATED_ID_PREFIXES = [
  'company:syn-',
  'product:syn-',
  'market:syn-',
  'city:syn-',
  'person:syn-',
  'website:syn-',
  'office:syn-',
  'statement:syn-',
  'article:syn-',
] as const;

export interface CorpusOptions {
  entities: number;
  seed?: number;
  dir: string;
}

export interface Probes {
  /** The biggest generated brand (most products). */
  bigBrand: string;
  /** A brand around the middle of the ranking. */
  midBrand: string;
  /** The generated distributor with most of the biggest market's distribution. */
  bigDistributor: string;
  midDistributor: string;
  /** The generated market with the most distributors and cities. */
  market: string;
  city: string;
  product: string;
  /** Seed names that keep their answers; Samsung and Xiaomi gain generated neighbours with size. */
  seed: { brand: string; market: string; distributor: string; competitor: string };
}

export interface Corpus {
  files: string[];
  /** Generated entities, articles included (the seed's are not counted). */
  entities: number;
  /** Facts stated in the files (derived MENTIONS not counted). */
  relationships: number;
  evidence: number;
  probes: Probes;
}

interface FactsEntity {
  id: string;
  kind: string;
  name: string;
  nameVi?: string;
  aliases: string[];
  description?: string;
  properties?: Record<string, string | number | string[]>;
}

interface FactsRelationship {
  type: string;
  from: string;
  to: string;
  market?: string;
  evidence: { quote: string; start: number; end: number; status: EvidenceStatus }[];
}

interface SeedFacts {
  entities: FactsEntity[];
}

export function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A well-mixed 32-bit state from a few integers, so each entity gets its own stream whatever the order. */
function mix(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

type Rng = () => number;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);
/** Rank in [0, n): P(k) ~ 1/(k+1), by inverting the continuous Zipf CDF. */
const zipf = (rng: Rng, n: number) => Math.min(n - 1, Math.floor(Math.exp(rng() * Math.log(n + 1))) - 1);

/** Cumulative boundaries of `items` split over `slots` with Zipf weights: slot r gets ~items/(r+1)/H. */
function zipfBlocks(items: number, slots: number): number[] {
  let h = 0;
  for (let r = 0; r < slots; r++) h += 1 / (r + 1);
  const starts: number[] = [];
  let acc = 0;
  for (let r = 0; r < slots; r++) {
    starts.push(Math.round((items * acc) / h));
    acc += 1 / (r + 1);
  }
  starts.push(items);
  return starts;
}

/** The slot whose block holds item i (binary search over the boundaries). */
function blockOf(starts: number[], i: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const CONSONANTS = 'bdfghklmnprstvz';
const VOWELS = 'aeiou';
const SYLLABLES = [...CONSONANTS].flatMap((c) => [...VOWELS].map((v) => c + v));

/** A pronounceable word, one-to-one with (salt, index): fixed-width syllables make every index distinct. */
function word(salt: number, index: number): string {
  const n = SYLLABLES.length;
  const digits: number[] = [];
  let rest = index;
  do {
    digits.push(rest % n);
    rest = Math.floor(rest / n);
  } while (rest > 0);
  while (digits.length < 2) digits.push(0);
  const w = digits.map((d, k) => SYLLABLES[(d + salt * 7 + k * 11) % n]).join('');
  return w.charAt(0).toUpperCase() + w.slice(1);
}

const code = (i: number) => i.toString(36).toUpperCase();
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)] as T;

const CATEGORIES = ['smartphone', 'smart TV', 'laptop', 'tablet', 'air purifier', 'power bank', 'smartwatch'];
const SERIES = ['Nova', 'Pro', 'Lite', 'Max', 'Air', 'Edge', 'Core', 'Neo'];
const DISTRIBUTOR_SUFFIXES = ['Trading', 'Distribution', 'Logistics', 'Retail'];
const FIRST_NAMES = ['Anna', 'Minh', 'Jae', 'Lena', 'Omar', 'Sofia', 'Kenji', 'Priya', 'Lucas', 'Mai'];
const ROLES = ['sales director', 'country manager', 'analyst', 'buyer', 'spokesperson', 'reporter'];
const TOPICS = ['expansion plans', 'price cuts', 'supply outlook', 'market share', 'new line-up'];

function status(rng: Rng): EvidenceStatus {
  const x = rng();
  return x < 0.6 ? 'stated' : x < 0.85 ? 'reported' : x < 0.95 ? 'confirmed' : 'speculated';
}

const SEED = {
  samsung: 'company:samsung',
  xiaomi: 'company:xiaomi',
  lg: 'company:lg',
  apple: 'company:apple',
  koma: 'company:koma-trade',
  youmi: 'company:nanjing-youmi-electronics-technology',
  korea: 'market:south-korea',
  vietnam: 'market:vietnam',
  china: 'market:china',
  us: 'market:united-states',
} as const;

/** Seed brands among the brand ranks (rank → seed id): Samsung second, Xiaomi fourth. */
const SEED_BRAND_RANKS = new Map<number, string>([
  [1, SEED.samsung],
  [3, SEED.xiaomi],
  [5, SEED.lg],
  [8, SEED.apple],
]);
const SEED_MARKET_RANKS = new Map<number, string>([
  [1, SEED.korea],
  [3, SEED.vietnam],
  [5, SEED.china],
  [7, SEED.us],
]);
const SEED_BRAND_MARKETS: Record<string, string[]> = {
  [SEED.samsung]: [SEED.korea, SEED.us, SEED.vietnam],
  // Never South Korea: the seed's answer to "who distributes Xiaomi in Korea" must stay the article's.
  [SEED.xiaomi]: [SEED.china, SEED.vietnam],
  [SEED.lg]: [SEED.korea, SEED.us],
  [SEED.apple]: [SEED.us, SEED.china],
};

/** Sizes and Zipf blocks for one corpus: everything about an entity follows from (seed, kind, index). */
class Plan {
  readonly articles: number;
  readonly markets: number;
  readonly cities: number;
  readonly brands: number;
  readonly distributors: number;
  readonly persons: number;
  readonly offices: number;
  readonly websites: number;
  readonly statements: number;
  readonly products: number;
  /** Brand ranks (generated brands and the seed's four) own contiguous blocks of products. */
  readonly brandSlots: number;
  readonly productBlocks: number[];
  readonly marketSlots: number;
  readonly distributorBlocks: number[];
  readonly cityBlocks: number[];
  private readonly seedEntities: Map<string, FactsEntity>;
  private readonly marketsByBrand = new Map<string, string[]>();

  constructor(
    entities: number,
    readonly seed: number,
  ) {
    if (!Number.isInteger(entities) || entities < 100) throw new Error('entities must be an integer >= 100');
    this.articles = Math.max(2, Math.ceil(entities / OWNED_PER_FILE));
    this.markets = Math.min(40, Math.max(4, Math.round(entities / 250)));
    this.cities = Math.max(4, Math.round(entities * 0.01));
    // At least ten, so the seed's brands (ranks up to 8) sit among generated ones at every size.
    this.brands = Math.max(10, Math.round(entities * 0.02));
    this.distributors = Math.max(6, Math.round(entities * 0.08));
    this.persons = Math.round(entities * 0.12);
    this.offices = Math.round(entities * 0.015);
    this.websites = Math.round(entities * 0.015);
    this.statements = Math.round(entities * 0.05);
    this.products =
      entities -
      this.articles -
      this.markets -
      this.cities -
      this.brands -
      this.distributors -
      this.persons -
      this.offices -
      this.websites -
      this.statements;
    this.brandSlots = this.brands + SEED_BRAND_RANKS.size;
    this.productBlocks = zipfBlocks(this.products, this.brandSlots);
    this.marketSlots = this.markets + SEED_MARKET_RANKS.size;
    this.distributorBlocks = zipfBlocks(this.distributors, this.marketSlots);
    this.cityBlocks = zipfBlocks(this.cities, this.marketSlots);
    const facts = JSON.parse(readFileSync(loadFacts, 'utf8')) as SeedFacts;
    this.seedEntities = new Map(facts.entities.map((e) => [e.id, e]));
  }

  rng(kind: number, index: number, stream = 0): Rng {
    return mulberry32(mix(this.seed, kind, index, stream));
  }

  /** The owned index range of kind `count` for article a. */
  slice(count: number, a: number): [number, number] {
    return [Math.floor((count * a) / this.articles), Math.floor((count * (a + 1)) / this.articles)];
  }

  seedEntity(id: string): FactsEntity {
    const e = this.seedEntities.get(id);
    if (!e) throw new Error(`no seed entity ${id}`);
    return e;
  }

  // Brand ranks interleave generated brands with the seed's; rank → brand id.
  brandAt(rank: number): string {
    const seedId = SEED_BRAND_RANKS.get(rank);
    if (seedId) return seedId;
    let before = 0;
    for (const r of SEED_BRAND_RANKS.keys()) if (r < rank) before += 1;
    return `company:syn-brand-${rank - before}`;
  }

  marketAt(rank: number): string {
    const seedId = SEED_MARKET_RANKS.get(rank);
    if (seedId) return seedId;
    let before = 0;
    for (const r of SEED_MARKET_RANKS.keys()) if (r < rank) before += 1;
    return `market:syn-${rank - before}`;
  }

  marketRankOf(id: string): number {
    for (const [r, s] of SEED_MARKET_RANKS) if (s === id) return r;
    const i = Number(id.slice('market:syn-'.length));
    let rank = i;
    for (const r of [...SEED_MARKET_RANKS.keys()].sort((x, y) => x - y)) if (r <= rank) rank += 1;
    return rank;
  }

  brandOfProduct(i: number): string {
    return this.brandAt(blockOf(this.productBlocks, i));
  }

  /** The markets a brand sells in; the first is its home. */
  brandMarkets(brand: string): string[] {
    let markets = this.marketsByBrand.get(brand);
    if (!markets) {
      markets = this.chooseMarkets(brand);
      this.marketsByBrand.set(brand, markets);
    }
    return markets;
  }

  private chooseMarkets(brand: string): string[] {
    const fixed = SEED_BRAND_MARKETS[brand];
    const rng = mulberry32(mix(this.seed, 97, ...[...brand].map((c) => c.charCodeAt(0))));
    const markets = new Set<string>(fixed ?? []);
    const extra = fixed ? 3 : 1 + int(rng, 4);
    for (let k = 0; markets.size < (fixed?.length ?? 0) + extra && k < 20; k++) {
      const m = this.marketAt(zipf(rng, this.marketSlots));
      if (brand === SEED.xiaomi && m === SEED.korea) continue;
      markets.add(m);
    }
    return [...markets];
  }

  distributorIn(market: string, rng: Rng): string {
    // The seed's distributors also carry other brands' products in Korea, so their questions grow too.
    if (market === SEED.korea && rng() < 0.1) return rng() < 0.5 ? SEED.koma : SEED.youmi;
    const r = this.marketRankOf(market);
    const lo = this.distributorBlocks[r] ?? 0;
    const hi = this.distributorBlocks[r + 1] ?? 0;
    if (hi > lo) return `company:syn-dist-${lo + zipf(rng, hi - lo)}`;
    return `company:syn-dist-${zipf(rng, this.distributors)}`;
  }

  cityIn(market: string, rng: Rng): string | null {
    const r = this.marketRankOf(market);
    const lo = this.cityBlocks[r] ?? 0;
    const hi = this.cityBlocks[r + 1] ?? 0;
    return hi > lo ? `city:syn-${lo + zipf(rng, hi - lo)}` : null;
  }

  marketOfCity(i: number): string {
    return this.marketAt(blockOf(this.cityBlocks, i));
  }

  marketOfDistributor(i: number): string {
    return this.marketAt(blockOf(this.distributorBlocks, i));
  }

  /** Any company: mostly brands by rank, some distributors. */
  company(rng: Rng): string {
    return rng() < 0.6
      ? this.brandAt(zipf(rng, this.brandSlots))
      : `company:syn-dist-${zipf(rng, this.distributors)}`;
  }

  /** The declaration of any entity id, the same wherever it is declared. */
  entity(id: string): FactsEntity {
    const colon = id.indexOf(':');
    const rest = id.slice(colon + 1);
    if (!rest.startsWith('syn-')) return this.seedEntity(id);
    const parts = rest.split('-');
    const i = Number(parts[parts.length - 1]);
    switch (id.slice(0, colon)) {
      case 'company':
        return parts[1] === 'brand' ? this.brand(i) : this.distributor(i);
      case 'product':
        return this.product(i);
      case 'market':
        return this.market(i);
      case 'city':
        return this.city(i);
      case 'person':
        return this.person(i);
      case 'website':
        return this.website(i);
      case 'office':
        return this.office(i);
      case 'statement':
        return this.statement(i);
      default:
        throw new Error(`not a generated id: ${id}`);
    }
  }

  name(id: string): string {
    return this.entity(id).name;
  }

  brand(i: number): FactsEntity {
    return {
      id: `company:syn-brand-${i}`,
      kind: 'Company',
      name: word(1, i),
      aliases: [`${word(1, i)} Group`],
      description: 'Synthetic electronics brand.',
    };
  }

  distributor(i: number): FactsEntity {
    return {
      id: `company:syn-dist-${i}`,
      kind: 'Company',
      name: `${word(2, i)} ${DISTRIBUTOR_SUFFIXES[i % DISTRIBUTOR_SUFFIXES.length]}`,
      aliases: [],
      description: 'Synthetic distributor.',
    };
  }

  product(i: number): FactsEntity {
    const rng = this.rng(3, i);
    const brand = this.name(this.brandOfProduct(i));
    const category = pick(rng, CATEGORIES);
    return {
      id: `product:syn-${i}`,
      kind: 'Product',
      name: `${brand} ${pick(rng, SERIES)} ${code(i)} ${category}`,
      aliases: [],
      properties: { category, priceUpToUsd: 50 + int(rng, 40) * 25 },
    };
  }

  market(i: number): FactsEntity {
    // Two capitals never used by the seed's markets (CN, VN, KR, US) or each other.
    const letters = 'ABDEFGHIJLMOPQRSTWXYZ';
    const cc = `${letters[i % letters.length]}${letters[Math.floor(i / letters.length) % letters.length]}`;
    return {
      id: `market:syn-${i}`,
      kind: 'Market',
      name: `${word(4, i)}land`,
      aliases: [],
      description: 'Synthetic national market.',
      properties: { countryCode: cc },
    };
  }

  city(i: number): FactsEntity {
    return {
      id: `city:syn-${i}`,
      kind: 'City',
      name: `${word(5, i)}ton`,
      aliases: [],
      properties: {},
    };
  }

  person(i: number): FactsEntity {
    const rng = this.rng(6, i);
    return {
      id: `person:syn-${i}`,
      kind: 'Person',
      name: `${FIRST_NAMES[i % FIRST_NAMES.length]} ${word(6, Math.floor(i / FIRST_NAMES.length))}`,
      aliases: [],
      properties: { role: pick(rng, ROLES) },
    };
  }

  websiteOwner(i: number): string {
    return this.brandAt(zipf(this.rng(7, i), this.brandSlots));
  }

  website(i: number): FactsEntity {
    return {
      id: `website:syn-${i}`,
      kind: 'Website',
      name: `${this.name(this.websiteOwner(i))} web store ${code(i)}`,
      aliases: [],
      properties: { language: 'en' },
    };
  }

  officeOwner(i: number): string {
    return this.brandAt(zipf(this.rng(8, i), this.brandSlots));
  }

  office(i: number): FactsEntity {
    return {
      id: `office:syn-${i}`,
      kind: 'Office',
      name: `${this.name(this.officeOwner(i))} office ${code(i)}`,
      aliases: [],
      properties: { officeType: 'sales office' },
    };
  }

  statementSubject(i: number): string {
    return this.company(this.rng(9, i));
  }

  statement(i: number): FactsEntity {
    const topic = pick(this.rng(9, i, 1), TOPICS);
    return {
      id: `statement:syn-${i}`,
      kind: 'Statement',
      name: `${this.name(this.statementSubject(i))} ${topic} note ${code(i)}`,
      aliases: [],
      properties: { summary: `A note on ${topic}.` },
    };
  }
}

/** Collects one article: its sentences, the facts they support, and every entity those facts touch. */
class ArticleBuilder {
  private text: string;
  readonly entities = new Map<string, FactsEntity>();
  readonly relationships: FactsRelationship[] = [];
  private readonly ids = new Set<string>();
  evidence = 0;

  constructor(
    private readonly plan: Plan,
    readonly title: string,
  ) {
    this.text = `${title}\n\n`;
  }

  declare(id: string): FactsEntity {
    let e = this.entities.get(id);
    if (!e) {
      e = this.plan.entity(id);
      this.entities.set(id, e);
    }
    return e;
  }

  private quote(sentence: string, rng: Rng) {
    const start = this.text.length;
    this.text += `${sentence} `;
    this.evidence += 1;
    return { quote: sentence, start, end: start + sentence.length, status: status(rng) };
  }

  /** Adds a fact unless the article already states it; quotes its sentence, and a second one now and then. */
  fact(type: string, from: string, to: string, sentence: string, rng: Rng, market?: string): void {
    const key = `${from}|${type}|${to}|${market ?? ''}`;
    if (from === to || this.ids.has(key)) return;
    this.ids.add(key);
    this.declare(from);
    this.declare(to);
    if (market) this.declare(market);
    const evidence = [this.quote(sentence, rng)];
    if (rng() < 0.1) evidence.push(this.quote(`Other sources repeat it: ${sentence}`, rng));
    this.relationships.push({ type, from, to, ...(market ? { market } : {}), evidence });
  }

  finish() {
    return this.text.trimEnd();
  }
}

function writeArticle(plan: Plan, a: number, dir: string, seen: Set<string>, seedKeys: Set<string>) {
  const p = plan;
  const stem = `syn-${String(a).padStart(4, '0')}`;
  const b = new ArticleBuilder(p, `Market digest ${a + 1} (synthetic)`);
  const n = (id: string) => p.name(id);

  const own = (count: number, each: (i: number) => void) => {
    const [lo, hi] = p.slice(count, a);
    for (let i = lo; i < hi; i++) each(i);
  };

  own(p.markets, (i) => b.declare(`market:syn-${i}`));
  own(p.cities, (i) => {
    const city = `city:syn-${i}`;
    const market = p.marketOfCity(i);
    b.fact('LOCATED_IN', city, market, `${n(city)} is a city in ${n(market)}.`, p.rng(5, i, 1));
  });
  own(p.brands, (i) => {
    const rng = p.rng(1, i, 1);
    const brand = `company:syn-brand-${i}`;
    const name = n(brand);
    const markets = p.brandMarkets(brand);
    const home = markets[0] ?? SEED.korea;
    const hq = p.cityIn(home, rng);
    b.fact('HEADQUARTERED_IN', brand, hq ?? home, `${name} is based in ${n(hq ?? home)}.`, rng);
    b.fact('PRESENT_IN', brand, home, `${name} is already active in ${n(home)}.`, rng);
    for (const m of markets) b.fact('SELLS_IN', brand, m, `${name} sells its products in ${n(m)}.`, rng);
    if (rng() < 0.3) {
      const m = p.marketAt(zipf(rng, p.marketSlots));
      if (!markets.includes(m)) b.fact('ENTERING', brand, m, `${name} is moving into ${n(m)}.`, rng);
    }
    for (let k = 1 + int(rng, 3); k > 0; k--) {
      const rival = p.brandAt(zipf(rng, p.brandSlots));
      b.fact('COMPETES_WITH', brand, rival, `${name} competes with ${n(rival)}.`, rng);
    }
  });
  own(p.distributors, (i) => {
    const rng = p.rng(2, i, 1);
    const dist = `company:syn-dist-${i}`;
    const home = p.marketOfDistributor(i);
    const hq = p.cityIn(home, rng);
    if (hq) b.fact('HEADQUARTERED_IN', dist, hq, `${n(dist)} has its head office in ${n(hq)}.`, rng);
    b.fact('PRESENT_IN', dist, home, `${n(dist)} operates in ${n(home)}.`, rng);
  });
  own(p.products, (i) => {
    const rng = p.rng(3, i, 1);
    const product = `product:syn-${i}`;
    const brand = p.brandOfProduct(i);
    const name = n(product);
    const markets = p.brandMarkets(brand);
    b.fact('MANUFACTURES', brand, product, `${n(brand)} makes the ${name}.`, rng);
    const sold = pick(rng, markets);
    b.fact('SELLS_IN', product, sold, `The ${name} is on sale in ${n(sold)}.`, rng);
    for (let k = 1 + zipf(rng, 4); k > 0; k--) {
      const market = pick(rng, markets);
      if (brand === SEED.xiaomi && market === SEED.korea)
        throw new Error('Xiaomi must not gain Korean distributors');
      const dist = p.distributorIn(market, rng);
      b.fact(
        'DISTRIBUTES',
        dist,
        product,
        `${n(dist)} distributes the ${name} in ${n(market)}.`,
        rng,
        market,
      );
    }
    if (rng() < 0.1) b.fact('TARGETS', product, sold, `The ${name} is aimed at buyers in ${n(sold)}.`, rng);
    if (i > 0 && rng() < 0.05 && p.brandOfProduct(i - 1) === brand) {
      const twin = `product:syn-${i - 1}`;
      b.fact('RESEMBLES', product, twin, `The ${name} looks much like the ${n(twin)}.`, rng);
    }
  });
  own(p.persons, (i) => {
    const rng = p.rng(6, i, 1);
    const person = `person:syn-${i}`;
    const company = p.company(rng);
    b.fact('WORKS_FOR', person, company, `${n(person)} works for ${n(company)}.`, rng);
    const market = p.marketAt(zipf(rng, p.marketSlots));
    const city = p.cityIn(market, rng);
    if (city) b.fact('LOCATED_IN', person, city, `${n(person)} lives in ${n(city)}.`, rng);
  });
  own(p.websites, (i) => {
    const rng = p.rng(7, i, 1);
    const site = `website:syn-${i}`;
    const owner = p.websiteOwner(i);
    b.fact('OPERATES', owner, site, `${n(owner)} runs the ${n(site)}.`, rng);
    const market = pick(rng, p.brandMarkets(owner));
    b.fact('TARGETS', site, market, `The ${n(site)} serves shoppers in ${n(market)}.`, rng);
  });
  own(p.offices, (i) => {
    const rng = p.rng(8, i, 1);
    const office = `office:syn-${i}`;
    const owner = p.officeOwner(i);
    b.fact('HAS_OFFICE', owner, office, `${n(owner)} has opened the ${n(office)}.`, rng);
    const market = pick(rng, p.brandMarkets(owner));
    const city = p.cityIn(market, rng);
    if (city) b.fact('LOCATED_IN', office, city, `The ${n(office)} is in ${n(city)}.`, rng);
    b.fact('TARGETS', office, market, `The ${n(office)} looks after ${n(market)}.`, rng);
  });
  own(p.statements, (i) => {
    const rng = p.rng(9, i, 2);
    const st = `statement:syn-${i}`;
    const subject = p.statementSubject(i);
    const person = `person:syn-${int(rng, Math.max(1, p.persons))}`;
    b.fact('MADE', person, st, `${n(person)} issued the ${n(st)}.`, rng);
    b.fact('ABOUT', st, subject, `The ${n(st)} is about ${n(subject)}.`, rng);
    if (rng() < 0.2) b.fact('CONFIRMED', person, st, `${n(person)} confirmed the ${n(st)}.`, rng);
    if (rng() < 0.2) b.fact('WROTE', person, st, `${n(person)} wrote the ${n(st)}.`, rng);
  });

  // Owned entities are checked once each: unique among generated names and apart from every seed spelling.
  for (const e of b.entities.values()) {
    if (!e.id.includes(':syn-') || seen.has(e.id)) continue;
    for (const spelling of [e.name, ...e.aliases]) {
      const key = foldName(spelling);
      if (seedKeys.has(key)) throw new Error(`generated name "${spelling}" (${e.id}) clashes with the seed`);
    }
    seen.add(e.id);
  }

  const facts = {
    article: {
      id: `article:${stem}`,
      title: b.title,
      language: 'en',
      file: `${stem}.txt`,
      publishedAt: new Date(Date.UTC(2024, 0, 1) + a * 86_400_000).toISOString().slice(0, 10),
    },
    entities: [...b.entities.values()],
    relationships: b.relationships,
  };
  writeFileSync(path.join(dir, `${stem}.txt`), b.finish());
  const file = path.join(dir, `${stem}.facts.json`);
  writeFileSync(file, JSON.stringify(facts));
  return { file, relationships: b.relationships.length, evidence: b.evidence };
}

/** Names the benchmark can ask about at every size. */
export function corpusProbes(entities: number, seed = 1): Probes {
  return probesOf(new Plan(entities, seed));
}

function probesOf(p: Plan): Probes {
  const midRank = Math.floor(p.brandSlots / 2);
  const market = p.marketAt(0);
  const bigMarketRank = p.marketRankOf(market);
  const lo = p.distributorBlocks[bigMarketRank] ?? 0;
  const hi = p.distributorBlocks[bigMarketRank + 1] ?? lo + 1;
  return {
    bigBrand: p.name(p.brandAt(0)),
    midBrand: p.name(p.brandAt(SEED_BRAND_RANKS.has(midRank) ? midRank + 1 : midRank)),
    bigDistributor: p.name(`company:syn-dist-${lo}`),
    midDistributor: p.name(`company:syn-dist-${Math.floor((lo + hi) / 2)}`),
    market: p.name(market),
    city: p.name(`city:syn-${p.cityBlocks[bigMarketRank] ?? 0}`),
    product: p.name('product:syn-0'),
    seed: { brand: 'Xiaomi', market: 'South Korea', distributor: 'Koma Trade', competitor: 'Samsung' },
  };
}

export function generateCorpus(o: CorpusOptions): Corpus {
  const plan = new Plan(o.entities, o.seed ?? 1);
  mkdirSync(o.dir, { recursive: true });
  const seedKeys = new Set<string>();
  for (const e of JSON.parse(readFileSync(loadFacts, 'utf8')).entities as FactsEntity[]) {
    for (const s of [e.name, e.nameVi, ...e.aliases]) if (s) seedKeys.add(foldName(s));
  }
  const seen = new Set<string>();
  const corpus: Corpus = { files: [], entities: 0, relationships: 0, evidence: 0, probes: probesOf(plan) };
  for (let a = 0; a < plan.articles; a++) {
    const written = writeArticle(plan, a, o.dir, seen, seedKeys);
    corpus.files.push(written.file);
    corpus.relationships += written.relationships;
    corpus.evidence += written.evidence;
  }
  corpus.entities = seen.size + plan.articles;
  writeFileSync(
    path.join(o.dir, 'corpus.json'),
    JSON.stringify(
      { seed: plan.seed, requested: o.entities, ...corpus, files: corpus.files.map((f) => path.basename(f)) },
      null,
      2,
    ),
  );
  return corpus;
}

function argsOf(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (!key?.startsWith('--') || value === undefined) throw new Error(`expected --name value, got "${key}"`);
    out[key.slice(2)] = value;
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = argsOf(process.argv.slice(2));
  if (!args.out || !args.entities) {
    console.error('usage: tsx bench/generate.ts --entities 10000 [--seed 1] --out DIR');
    process.exit(2);
  }
  const started = performance.now();
  const c = generateCorpus({ entities: Number(args.entities), seed: Number(args.seed ?? 1), dir: args.out });
  console.log(
    `${c.files.length} files in ${args.out}: ${c.entities} entities, ${c.relationships} relationships, ` +
      `${c.evidence} evidence quotes, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(JSON.stringify(c.probes, null, 2));
}
