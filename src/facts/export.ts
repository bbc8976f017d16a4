import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import {
  articleIds,
  changePosition,
  entityIds,
  graphSize,
  graphTotals,
  readArticles,
  readEntities,
  type StoredArticle,
  type StoredFact,
  type StoredNode,
} from '../graph/export.js';
import { relationshipId } from '../graph/ingest.js';
import type { EvidenceStatus } from '../graph/model.js';
import { foldName } from '../graph/names.js';
import type { Db, Runner } from '../neo4j/driver.js';
import { FactsError, parseEntitiesDocument, parseFacts } from './file.js';

/*
 * Export: the graph (or one article's part of it) written in the facts file format, so that ingesting it into
 * an empty database gives the same graph. Each article is one document holding its text inline, every entity its
 * facts and mentions touch (all their properties and the ids merged into them), each fact with that article's
 * evidence items at explicit offsets (and its retraction), and the article's mentions as they are (so ingest
 * links exactly those and scans nothing). Entities no article touches follow in documents of entities alone.
 * Every document is checked by the facts reader before it is written, and a property the format cannot carry
 * stops the export instead of being dropped.
 */

export interface ExportedRevocation {
  at: string;
  keyId: string | null;
  by: string | null;
  reason: string;
}

export interface ExportedEntity {
  id: string;
  kind: string;
  name: string;
  nameVi?: string;
  aliases: string[];
  description?: string;
  properties?: Record<string, unknown>;
  mergedIds?: string[];
}

export interface ExportedRelationship {
  type: string;
  from: string;
  to: string;
  market?: string;
  evidence: { quote: string; start: number; end: number; status: EvidenceStatus }[];
  retracted?: ExportedRevocation;
}

export interface ArticleDocument {
  article: {
    id: string;
    title: string;
    titleVi?: string;
    language: string;
    publisher?: string;
    publishedAt?: string;
    url?: string;
    originalFile?: string;
    withdrawn?: ExportedRevocation;
    text: string;
  };
  entities: ExportedEntity[];
  relationships: ExportedRelationship[];
  mentions: { entity: string; start: number; end: number }[];
}

/** Entities no article touches (made by upsertEntity alone, say). */
export interface EntitiesDocument {
  entities: ExportedEntity[];
}

export type ExportDocument = ArticleDocument | EntitiesDocument;

export type ExportProblem =
  /** No article has the id asked for. */
  | 'missing'
  /** More than the caller's bound (GraphQL's). */
  | 'too-large'
  /** The graph holds something the format cannot carry: exporting would lose it. */
  | 'lossy'
  /** A write changed the graph while it was being read. */
  | 'changed'
  /** Nothing to export. */
  | 'empty';

export class ExportError extends Error {
  override name = 'ExportError';
  constructor(
    readonly problem: ExportProblem,
    message: string,
  ) {
    super(message);
  }
}

/** Articles read per statement. */
const ARTICLE_BATCH = 100;
/** Ids per statement when paging or reading entities. */
const ID_BATCH = 5_000;
/** Entities per document of entities alone, so no one document (nor its ingest) grows without bound. */
const ENTITIES_PER_DOCUMENT = 5_000;

/** Node properties an entity's document entry carries itself; every other one is one of its `properties`. */
const ENTITY_OWN = new Set([
  'id',
  'kind',
  'name',
  'nameVi',
  'aliases',
  'description',
  'sortName',
  'mergedIds',
]);
const ARTICLE_PROPERTIES = new Set([
  'id',
  'kind',
  'name',
  'nameVi',
  'aliases',
  'sortName',
  'title',
  'language',
  'file',
  'url',
  'publishedAt',
  'publisher',
  'text',
  'withdrawnAt',
  'withdrawnBy',
  'withdrawnByName',
  'withdrawnReason',
]);
const EVIDENCE_LISTS = [
  'evidenceQuotes',
  'evidenceStarts',
  'evidenceEnds',
  'evidenceStatuses',
  'evidenceArticles',
  'evidencePrefixes',
  'evidenceSuffixes',
];
const FACT_PROPERTIES = new Set([
  'id',
  'market',
  'status',
  'retractedAt',
  'retractedBy',
  'retractedByName',
  'retractedReason',
  ...EVIDENCE_LISTS,
]);
const MENTION_PROPERTIES = new Set(['id', 'status', ...EVIDENCE_LISTS]);

/** What the format cannot carry, collected while a document is built, thrown together. */
class Losses {
  readonly found: string[] = [];
  add(message: string) {
    this.found.push(message);
  }
  unknownKeys(what: string, keys: readonly string[], known: ReadonlySet<string>) {
    const unknown = keys.filter((k) => !known.has(k));
    if (unknown.length > 0)
      this.add(`${what} has properties the facts format has no place for: ${unknown.join(', ')}`);
  }
  throwAny() {
    if (this.found.length === 0) return;
    const shown = this.found.slice(0, 20);
    const more = this.found.length - shown.length;
    throw new ExportError(
      'lossy',
      `The export would lose what the facts format cannot carry:\n${shown.map((m) => `  ${m}`).join('\n')}` +
        (more > 0 ? `\n  ... and ${more} more` : ''),
    );
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function revocation(at: unknown, keyId: unknown, by: unknown, reason: unknown): ExportedRevocation {
  return { at: String(at), keyId: str(keyId) ?? null, by: str(by) ?? null, reason: String(reason ?? '') };
}

/** An entity as its document entry: every property, those of its kind under `properties`. */
function entityEntry(node: StoredNode, losses: Losses): ExportedEntity {
  const p = node.props;
  const kind = String(p.kind);
  const name = String(p.name);
  if (node.labels.length !== 2 || !node.labels.includes('Entity') || !node.labels.includes(kind)) {
    losses.add(
      `${node.id} has the labels ${node.labels.join(', ')}; ingest gives Entity and its kind (${kind})`,
    );
  }
  if (p.sortName !== foldName(name)) {
    losses.add(
      `${node.id} has the sortName "${String(p.sortName)}", not its folded name "${foldName(name)}"`,
    );
  }
  const properties = Object.fromEntries(
    Object.keys(p)
      .filter((k) => !ENTITY_OWN.has(k) && p[k] != null)
      .sort()
      .map((k) => [k, p[k]]),
  );
  const mergedIds = (p.mergedIds as string[] | null | undefined) ?? [];
  return {
    id: node.id,
    kind,
    name,
    ...(str(p.nameVi) === undefined ? {} : { nameVi: str(p.nameVi) }),
    aliases: (p.aliases as string[] | null | undefined) ?? [],
    ...(str(p.description) === undefined ? {} : { description: str(p.description) }),
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
    ...(mergedIds.length > 0 ? { mergedIds } : {}),
  };
}

function articleEntry(node: StoredNode, losses: Losses): ArticleDocument['article'] {
  const p = node.props;
  const title = String(p.title);
  losses.unknownKeys(node.id, Object.keys(p), ARTICLE_PROPERTIES);
  if (p.name !== title) losses.add(`${node.id} has the name "${String(p.name)}", not its title "${title}"`);
  if (((p.aliases as unknown[] | null | undefined) ?? []).length > 0) {
    losses.add(`${node.id} has aliases; an article has none`);
  }
  if (p.sortName !== foldName(title)) {
    losses.add(
      `${node.id} has the sortName "${String(p.sortName)}", not its folded title "${foldName(title)}"`,
    );
  }
  if (node.labels.length !== 2 || !node.labels.includes('Entity') || !node.labels.includes('Article')) {
    losses.add(`${node.id} has the labels ${node.labels.join(', ')}; ingest gives Entity and Article`);
  }
  const optional = (key: string, value: unknown) => (str(value) === undefined ? {} : { [key]: str(value) });
  return {
    id: node.id,
    title,
    ...optional('titleVi', p.nameVi),
    language: String(p.language),
    ...optional('publisher', p.publisher),
    ...optional('publishedAt', p.publishedAt),
    ...optional('url', p.url),
    ...optional('originalFile', p.file),
    ...(p.withdrawnAt == null
      ? {}
      : { withdrawn: revocation(p.withdrawnAt, p.withdrawnBy, p.withdrawnByName, p.withdrawnReason) }),
    text: String(p.text ?? ''),
  };
}

function relationshipEntry(
  fact: StoredFact,
  article: string,
  isArticle: (id: string) => boolean,
  losses: Losses,
): ExportedRelationship {
  losses.unknownKeys(`${fact.id}`, fact.keys, FACT_PROPERTIES);
  for (const end of [fact.from, fact.to]) {
    if (end !== article && isArticle(end)) {
      losses.add(
        `${fact.id} (evidence in ${article}) ends at another article, ${end}: a document names only its own`,
      );
    }
  }
  const expected = relationshipId(fact.from, fact.type, fact.to, fact.market);
  if (fact.id !== expected) losses.add(`${fact.id} between its ends should have the id ${expected}`);
  const retracted = fact.status === 'retracted';
  if (retracted !== (fact.retractedAt !== null)) {
    losses.add(
      retracted
        ? `${fact.id} is retracted without saying when (retractedAt)`
        : `${fact.id} carries a retraction but its status is ${fact.status}`,
    );
  }
  return {
    type: fact.type,
    from: fact.from,
    to: fact.to,
    ...(fact.market === null ? {} : { market: fact.market }),
    evidence: fact.items.map((e) => ({ quote: e.quote, start: e.start, end: e.end, status: e.status })),
    ...(retracted
      ? {
          retracted: revocation(
            fact.retractedAt,
            fact.retractedBy,
            fact.retractedByName,
            fact.retractedReason,
          ),
        }
      : {}),
  };
}

/** The ids of the entities an article's document must declare: the ends of its facts, their markets, what it mentions. */
function touchedBy(stored: StoredArticle): string[] {
  const ids = new Set<string>();
  for (const f of stored.facts) {
    for (const id of [f.from, f.to, f.market]) if (id !== null && id !== stored.article.id) ids.add(id);
  }
  for (const m of stored.mentions) ids.add(m.entity);
  return [...ids].sort();
}

/** One article's document, from what was read of it and the entities it touches. */
function articleDocument(stored: StoredArticle, entities: ReadonlyMap<string, StoredNode>): ArticleDocument {
  const losses = new Losses();
  const id = stored.article.id;
  const article = articleEntry(stored.article, losses);
  const entries: ExportedEntity[] = [];
  for (const ref of touchedBy(stored)) {
    const node = entities.get(ref);
    if (!node) losses.add(`${id} refers to ${ref}, which is no entity`);
    else if (node.props.kind !== 'Article') entries.push(entityEntry(node, losses));
  }
  const isArticle = (ref: string) => entities.get(ref)?.props.kind === 'Article';
  const relationships = [...stored.facts]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((f) => relationshipEntry(f, id, isArticle, losses));
  const mentions: ArticleDocument['mentions'] = [];
  for (const m of stored.mentions) {
    losses.unknownKeys(`${id}|MENTIONS|${m.entity}`, m.keys, MENTION_PROPERTIES);
    (m.starts ?? []).forEach((start, i) => {
      mentions.push({ entity: m.entity, start, end: Number(m.ends?.[i]) });
    });
  }
  mentions.sort((a, b) => a.start - b.start || a.end - b.end || (a.entity < b.entity ? -1 : 1));
  losses.throwAny();
  return { article, entities: entries, relationships, mentions };
}

/** Checks a document as `npm run ingest` will read it: what it refuses, the export refuses to write. */
function check(doc: ExportDocument, name: string): void {
  try {
    if ('article' in doc) parseFacts(doc, { name, dir: null });
    else parseEntitiesDocument(doc, { name, dir: null });
  } catch (err) {
    if (!(err instanceof FactsError)) throw err;
    throw new ExportError('lossy', `The export of ${name} would not ingest again: ${err.message}`);
  }
}

/** The documents of some articles (those of the ids that exist), in id order: two statements. */
async function articleDocuments(tx: Runner, ids: readonly string[]): Promise<ArticleDocument[]> {
  const stored = await readArticles(tx, ids);
  const refs = [...new Set(stored.flatMap(touchedBy))];
  const entities = new Map<string, StoredNode>();
  for (let i = 0; i < refs.length; i += ID_BATCH) {
    for (const node of await readEntities(tx, refs.slice(i, i + ID_BATCH))) entities.set(node.id, node);
  }
  return stored.map((s) => {
    const doc = articleDocument(s, entities);
    check(doc, s.article.id);
    return doc;
  });
}

/** How many entities, facts and mention links a document holds: what the GraphQL bound counts. */
export function itemsOf(doc: ExportDocument): number {
  return 'article' in doc
    ? 1 + doc.entities.length + doc.relationships.length + new Set(doc.mentions.map((m) => m.entity)).size
    : doc.entities.length;
}

/** One article's document, read in one transaction; ExportError `missing` when no article has the id. */
export async function exportArticle(db: Db, id: string): Promise<ArticleDocument> {
  const [doc] = await db.read((tx) => articleDocuments(tx, [id]));
  if (!doc) throw new ExportError('missing', `No article has the id "${id}".`);
  return doc;
}

export interface ExportSummary {
  documents: number;
  articles: number;
  /** Entity entries over all documents (an entity touched by several articles counts in each). */
  entities: number;
  /** Entities in documents of entities alone: those no article touches. */
  untouched: number;
  /** Fact entries over all documents (a fact cited by several articles counts in each). */
  relationships: number;
  evidence: number;
  mentions: number;
}

/**
 * The whole graph, a document at a time, handed to `emit` in order: articles by id, then the entities no
 * article touches. Checks at the end that every fact's evidence and every mention was written (a fact whose
 * article does not mention its ends would be missed) and that no write changed the graph meanwhile (the Changes
 * every write records); either failing throws ExportError. `maxItems` bounds the graph's size first.
 */
export function exportGraph(
  db: Db,
  emit: (doc: ExportDocument) => void | Promise<void>,
  options: { maxItems?: number } = {},
): Promise<ExportSummary> {
  return exportWith((work) => db.read(work), emit, options);
}

/** Runs one step of an export: in a transaction of its own (a large graph), or all in one (a small one). */
type Reader = <T>(work: (tx: Runner) => Promise<T>) => Promise<T>;

async function exportWith(
  read: Reader,
  emit: (doc: ExportDocument) => void | Promise<void>,
  options: { maxItems?: number },
): Promise<ExportSummary> {
  const before = await read((tx) => changePosition(tx));
  if (options.maxItems !== undefined) {
    const size = await read((tx) => graphSize(tx));
    const items = size.entities + size.relationships;
    if (items > options.maxItems) {
      throw new ExportError(
        'too-large',
        `The graph holds ${size.entities} entities and ${size.relationships} relationships, more than the ` +
          `${options.maxItems} an export here may hold.`,
      );
    }
  }
  const summary: ExportSummary = {
    documents: 0,
    articles: 0,
    entities: 0,
    untouched: 0,
    relationships: 0,
    evidence: 0,
    mentions: 0,
  };
  const touched = new Set<string>();
  const out = async (doc: ExportDocument) => {
    summary.documents += 1;
    summary.entities += doc.entities.length;
    await emit(doc);
  };

  for (let after = ''; ; ) {
    const ids = await read((tx) => articleIds(tx, after, ARTICLE_BATCH));
    const last = ids.at(-1);
    if (last === undefined) break;
    after = last;
    for (const doc of await read((tx) => articleDocuments(tx, ids))) {
      summary.articles += 1;
      summary.relationships += doc.relationships.length;
      summary.evidence += doc.relationships.reduce((n, r) => n + r.evidence.length, 0);
      summary.mentions += doc.mentions.length;
      for (const e of doc.entities) touched.add(e.id);
      await out(doc);
    }
  }

  const untouched: string[] = [];
  for (let after = ''; ; ) {
    const ids = await read((tx) => entityIds(tx, after, ID_BATCH));
    const last = ids.at(-1);
    if (last === undefined) break;
    after = last;
    for (const id of ids) if (!touched.has(id)) untouched.push(id);
  }
  for (let i = 0; i < untouched.length; i += ENTITIES_PER_DOCUMENT) {
    const nodes = await read((tx) => readEntities(tx, untouched.slice(i, i + ENTITIES_PER_DOCUMENT)));
    const losses = new Losses();
    const doc: EntitiesDocument = { entities: nodes.map((n) => entityEntry(n, losses)) };
    losses.throwAny();
    check(doc, 'the entities no article touches');
    summary.untouched += doc.entities.length;
    await out(doc);
  }
  if (summary.documents === 0)
    throw new ExportError('empty', 'The graph is empty: there is nothing to export.');

  const totals = await read((tx) => graphTotals(tx));
  if (totals.bare > 0) {
    throw new ExportError(
      'lossy',
      `${totals.bare} relationships between entities have no evidence: the facts format holds a fact by its evidence.`,
    );
  }
  if (totals.factItems !== summary.evidence || totals.mentionSpans !== summary.mentions) {
    throw new ExportError(
      'lossy',
      `The export holds ${summary.evidence} of the graph's ${totals.factItems} evidence items and ${summary.mentions} ` +
        `of its ${totals.mentionSpans} mention spans: some evidence cites an article that does not exist or does not ` +
        'mention the ends of its fact.',
    );
  }
  if ((await read((tx) => changePosition(tx))) !== before) {
    throw new ExportError('changed', 'The graph changed while it was being exported; export it again.');
  }
  return summary;
}

/** A document as the export writes it: JSON, two spaces of indent, a final newline. */
export function documentText(doc: ExportDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The whole graph as one JSON array (what `npm run export -- <file>` writes), in memory: for bounded graphs. */
export function graphText(db: Db, options: { maxItems?: number } = {}): Promise<string> {
  // One transaction for every step: a graph small enough to hold in memory is read in a few round trips.
  return db.read(async (tx) => {
    const parts: string[] = [];
    await exportWith(
      (work) => work(tx),
      (doc) => void parts.push(listItem(doc)),
      options,
    );
    return `[\n${parts.join(',\n')}\n]\n`;
  });
}

/**
 * The export as text, bounded (for GraphQL): one article's document, or the whole graph as `npm run export`
 * writes them. ExportError `too-large` when it would hold more than `maxItems` entities and relationships
 * (checked from Neo4j's counts before reading the whole graph; after reading, for one article).
 */
export async function exportText(db: Db, article: string | null, maxItems: number): Promise<string> {
  if (article === null) return graphText(db, { maxItems });
  const doc = await exportArticle(db, article);
  const items = itemsOf(doc);
  if (items > maxItems) {
    throw new ExportError(
      'too-large',
      `The document of ${article} holds ${items} entities and relationships, more than the ${maxItems} an export here may hold.`,
    );
  }
  return documentText(doc);
}

/** A document as an element of the array: indented two more spaces, as JSON.stringify(list, null, 2) would. */
const listItem = (doc: ExportDocument) => `  ${JSON.stringify(doc, null, 2).replace(/\n/g, '\n  ')}`;

/**
 * Writes the export to a file: one article's document (an object), or the whole graph (an array of them),
 * streamed a document at a time. Written beside the file first and renamed over it when complete, so a failed
 * export leaves no partial file (and an existing one untouched).
 */
export async function writeExport(
  db: Db,
  file: string,
  article: string | null,
): Promise<ExportSummary & { article: string | null }> {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  const fd = openSync(partial, 'w');
  let open = true;
  try {
    let summary: ExportSummary;
    if (article !== null) {
      const doc = await exportArticle(db, article);
      writeSync(fd, documentText(doc));
      summary = {
        documents: 1,
        articles: 1,
        entities: doc.entities.length,
        untouched: 0,
        relationships: doc.relationships.length,
        evidence: doc.relationships.reduce((n, r) => n + r.evidence.length, 0),
        mentions: doc.mentions.length,
      };
    } else {
      let separator = '[\n';
      summary = await exportGraph(db, (doc) => {
        writeSync(fd, `${separator}${listItem(doc)}`);
        separator = ',\n';
      });
      writeSync(fd, '\n]\n');
    }
    closeSync(fd);
    open = false;
    renameSync(partial, file);
    return { ...summary, article };
  } catch (err) {
    if (open) closeSync(fd);
    rmSync(partial, { force: true });
    throw err;
  }
}
