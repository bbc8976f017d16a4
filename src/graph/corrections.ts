import type { Node, Relationship } from 'neo4j-driver';
import type { Tx } from '../neo4j/driver.js';
import { type ChangeRecord, recordChange, type Who } from './changes.js';
import { relationshipId } from './ingest.js';
import {
  type EntityKind,
  type EvidenceStatus,
  isRelationshipType,
  type RelationshipType,
  relationshipSpec,
  strongestStatus,
} from './model.js';
import { foldName } from './names.js';
import { anchorsOf, locateQuote } from './quotes.js';
import { type EntityRecord, type RelationRecord, retractionOf, toEntity, toRelation } from './records.js';

/*
 * The corrections: addFact, retractFact, mergeEntities, withdrawArticle. Each runs in the caller's write
 * transaction and reads what it needs there (names are resolved in it too; what it writes over is read after
 * a lock, see lockEntities), refuses bad input before it writes anything, and records its Change beside what
 * it changed.
 * Retraction never deletes: a retracted fact keeps its evidence and says who, when and why.
 */

/** Why a correction was refused; the schema turns each into a ClientError with its code. */
export type CorrectionProblem = 'invalid' | 'missing' | 'ambiguous' | 'conflict';

export class CorrectionError extends Error {
  override name = 'CorrectionError';
  constructor(
    readonly problem: CorrectionProblem,
    /** The argument that was wrong, as the API names it (`input.quote`, `merge`). */
    readonly argument: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A name or id that means no entity (of the kinds asked): the schema adds the names the user probably meant. */
export class EntityNotFoundError extends CorrectionError {
  override name = 'EntityNotFoundError';
  /** What the argument takes, in words: "company", "company or product", "entity". */
  readonly what: string;
  constructor(
    argument: string,
    readonly term: string,
    readonly kinds: readonly EntityKind[] | null,
  ) {
    super('missing', argument, `No ${describeKinds(kinds)} matches "${term}".`, { term });
    this.what = describeKinds(kinds);
  }
}

const describeKinds = (kinds: readonly EntityKind[] | null) =>
  kinds && kinds.length > 0 ? kinds.map((k) => k.toLowerCase()).join(' or ') : 'entity';

const invalid = (argument: string, message: string, details?: Record<string, unknown>) =>
  new CorrectionError('invalid', argument, message, details);
const conflict = (argument: string, message: string, details?: Record<string, unknown>) =>
  new CorrectionError('conflict', argument, message, details);

/** Reasons are for people reading the log: long enough for a sentence or two, short enough to stay a reason. */
export const MAX_REASON = 2_000;

function checkReason(reason: string, argument = 'reason'): string {
  const trimmed = reason.trim();
  if (trimmed === '') throw invalid(argument, `${argument} must say why (it is empty).`);
  if (trimmed.length > MAX_REASON) {
    throw invalid(argument, `${argument} is ${trimmed.length} characters long; at most ${MAX_REASON}.`);
  }
  return trimmed;
}

// ---------------------------------------------------------------------------------------------------------
// Names

interface Resolved {
  entity: EntityRecord;
  /** How the term found it: the entity's id, the id of an entity merged into it, or a spelling. */
  via: 'id' | 'redirect' | 'name';
}

/**
 * The entity each term means, in one statement: an entity's id first, then the id of an entity merged into
 * another (its Redirect), then any spelling (folded, as reads resolve names). A spelling keeps the entities of
 * the kinds the argument takes, then prefers those whose own name it is; what stays several is AMBIGUOUS,
 * nothing NOT_FOUND. An entity of another kind (by id, or the only one a spelling names) is BAD_USER_INPUT.
 */
async function resolveEntities(
  tx: Tx,
  refs: readonly { term: string; argument: string; kinds: readonly EntityKind[] | null }[],
): Promise<Resolved[]> {
  for (const ref of refs) {
    if (ref.term.trim() === '')
      throw invalid(ref.argument, `${ref.argument} is empty: give an id or a name.`);
  }
  const r = await tx.run(
    `UNWIND $refs AS ref
     OPTIONAL MATCH (byId:Entity {id: ref.term})
     OPTIONAL MATCH (:Redirect {id: ref.term})-[:REDIRECTS_TO]->(redirected:Entity)
     CALL (ref) {
       OPTIONAL MATCH (:NameKey {key: ref.key})-[:NAMES]->(n:Entity)
       RETURN collect(n) AS named
     }
     RETURN ref.i AS i, byId, redirected, named`,
    { refs: refs.map((ref, i) => ({ i, term: ref.term, key: foldName(ref.term) })) },
  );
  const rows = new Map(r.records.map((rec) => [rec.get('i') as number, rec]));
  return refs.map((ref, i) => {
    const rec = rows.get(i);
    const byId = rec?.get('byId') as Node | null;
    const redirected = rec?.get('redirected') as Node | null;
    const direct = byId ?? redirected;
    if (direct) {
      const entity = toEntity(direct);
      checkKind(ref, entity);
      return { entity, via: byId ? 'id' : 'redirect' };
    }
    const named = ((rec?.get('named') as Node[] | undefined) ?? []).map(toEntity);
    return { entity: chooseNamed(ref, named), via: 'name' };
  });
}

function checkKind(ref: { argument: string; kinds: readonly EntityKind[] | null }, e: EntityRecord): void {
  if (ref.kinds && !ref.kinds.includes(e.kind)) {
    throw invalid(
      ref.argument,
      `${ref.argument} must be a ${describeKinds(ref.kinds)}; "${e.id}" (${e.name}) is a ${e.kind}.`,
      { id: e.id, kind: e.kind, expected: ref.kinds },
    );
  }
}

function chooseNamed(
  ref: { term: string; argument: string; kinds: readonly EntityKind[] | null },
  named: EntityRecord[],
): EntityRecord {
  const key = foldName(ref.term);
  const ofKind = ref.kinds ? named.filter((e) => ref.kinds?.includes(e.kind)) : named;
  const [other] = named;
  if (ofKind.length === 0 && other) checkKind(ref, other);
  const byName = ofKind.filter((e) => foldName(e.name) === key);
  const best = (byName.length > 0 ? byName : ofKind).sort((a, b) => (a.id < b.id ? -1 : 1));
  const [first, ...rest] = best;
  if (!first) throw new EntityNotFoundError(ref.argument, ref.term, ref.kinds);
  if (rest.length > 0) {
    const candidates = best.map((e) => `${e.name} (${e.kind}, ${e.id})`);
    throw new CorrectionError(
      'ambiguous',
      ref.argument,
      `"${ref.term}" could mean ${candidates.join(', ')}; use a fuller name or the id.`,
      { term: ref.term, candidates },
    );
  }
  return first;
}

// ---------------------------------------------------------------------------------------------------------
// Evidence, as the parallel lists on a relationship (see WRITE_RELATIONSHIPS in ingest.ts)

interface StoredEvidence {
  quote: string;
  start: number;
  end: number;
  status: EvidenceStatus;
  article: string;
  prefix: string | null;
  suffix: string | null;
}

function evidenceOf(p: Record<string, unknown>): StoredEvidence[] {
  const list = <T>(name: string) => (p[name] as T[] | null | undefined) ?? [];
  const starts = list<number>('evidenceStarts');
  const ends = list<number>('evidenceEnds');
  const statuses = list<EvidenceStatus>('evidenceStatuses');
  const articles = list<string>('evidenceArticles');
  const prefixes = list<string>('evidencePrefixes');
  const suffixes = list<string>('evidenceSuffixes');
  return list<string>('evidenceQuotes').map((quote, i) => ({
    quote,
    start: Number(starts[i]),
    end: Number(ends[i]),
    status: statuses[i] ?? 'stated',
    article: articles[i] ?? '',
    prefix: prefixes[i] ?? null,
    suffix: suffixes[i] ?? null,
  }));
}

/** The lists to SET: every item anchored (see withAnchors), so the lists stay parallel. */
function evidenceProps(items: readonly StoredEvidence[]): Record<string, unknown> {
  return {
    evidenceQuotes: items.map((e) => e.quote),
    evidenceStarts: items.map((e) => e.start),
    evidenceEnds: items.map((e) => e.end),
    evidenceStatuses: items.map((e) => e.status),
    evidenceArticles: items.map((e) => e.article),
    evidencePrefixes: items.map((e) => e.prefix ?? ''),
    evidenceSuffixes: items.map((e) => e.suffix ?? ''),
  };
}

/** The same quote at the same place of the same article. */
const samePlace = (a: StoredEvidence, b: StoredEvidence) =>
  a.article === b.article && a.start === b.start && a.end === b.end && a.quote === b.quote;

/** The same item exactly (status too): what joining two evidence lists drops as a duplicate. */
const sameItem = (a: StoredEvidence, b: StoredEvidence) =>
  a.article === b.article &&
  a.start === b.start &&
  a.end === b.end &&
  a.quote === b.quote &&
  a.status === b.status;

/** What a fact's status is, from its evidence: the strongest status among articles not withdrawn. */
function statusOf(items: readonly StoredEvidence[], withdrawn: ReadonlySet<string>): EvidenceStatus {
  const live = items.filter((e) => !withdrawn.has(e.article));
  return strongestStatus((live.length > 0 ? live : items).map((e) => e.status));
}

interface ArticleState {
  withdrawn: Set<string>;
  texts: Map<string, string>;
}

/** Which of the articles are withdrawn, and the texts of those asked for (to anchor old evidence). */
async function articlesOf(tx: Tx, ids: Iterable<string>, textsOf: Iterable<string>): Promise<ArticleState> {
  const wanted = new Set(textsOf);
  const r = await tx.run(
    `UNWIND $ids AS id
     MATCH (a:Article {id: id})
     RETURN a.id AS id, a.withdrawnAt IS NOT NULL AS withdrawn, CASE WHEN id IN $texts THEN a.text END AS text`,
    { ids: [...new Set([...ids, ...wanted])], texts: [...wanted] },
  );
  const state: ArticleState = { withdrawn: new Set(), texts: new Map() };
  for (const rec of r.records) {
    if (rec.get('withdrawn')) state.withdrawn.add(rec.get('id'));
    const text = rec.get('text') as string | null;
    if (text !== null) state.texts.set(rec.get('id'), text);
  }
  return state;
}

/**
 * Evidence written before prefixes and suffixes were stored gets them from its article's text, so the lists
 * of a relationship written here are parallel and every item can be re-anchored.
 */
async function withAnchors(tx: Tx, groups: StoredEvidence[][]): Promise<ArticleState> {
  const items = groups.flat();
  const bare = items.filter((e) => e.prefix === null || e.suffix === null);
  const state = await articlesOf(
    tx,
    items.map((e) => e.article),
    bare.map((e) => e.article),
  );
  for (const e of bare) {
    const text = state.texts.get(e.article);
    const anchors = text === undefined ? { prefix: '', suffix: '' } : anchorsOf(text, e.start, e.end);
    e.prefix ??= anchors.prefix;
    e.suffix ??= anchors.suffix;
  }
  return state;
}

/**
 * Takes the write locks of entities before reading what will be written over: a correction reads a fact, then
 * writes it back, and two at once on the same fact would otherwise each write over the other (two addFacts
 * creating the same new relationship twice, an addFact undoing a retraction that committed in between). Every
 * write here locks a fact's `from` entity first (ingest's MERGE locks both ends), so they take turns; sorted,
 * so two that lock several do not deadlock (a deadlock is a transient error, retried anyway).
 */
async function lockEntities(tx: Tx, ids: readonly string[]): Promise<void> {
  await tx.run('UNWIND $ids AS id MATCH (n:Entity {id: id}) SET n._locked = true REMOVE n._locked', {
    ids: [...new Set(ids)].sort(),
  });
}

// ---------------------------------------------------------------------------------------------------------
// Facts by id

/** A relationship's id: `from|TYPE|to[|market]` (the same function ingest uses). */
export const factId = relationshipId;

interface ParsedFactId {
  from: string;
  type: RelationshipType;
  to: string;
  market: string | null;
}

/** `from|TYPE|to[|market]`, with a type of the model; anything else is BAD_USER_INPUT naming the argument. */
function parseFactId(id: string, argument: string): ParsedFactId {
  const parts = id.split('|');
  const [from, type, to, market] = parts;
  const shape =
    'a relationship id looks like "company:xiaomi|DISTRIBUTES|product:mi-tv-4|market:south-korea"';
  if (parts.length < 3 || parts.length > 4 || parts.some((p) => p.trim() === '') || !from || !type || !to) {
    throw invalid(argument, `${argument} is not a relationship id: "${id.slice(0, 200)}" (${shape}).`);
  }
  if (!isRelationshipType(type)) {
    throw invalid(argument, `${argument} names no relationship type of the model: "${type.slice(0, 60)}".`);
  }
  if (type === 'MENTIONS') {
    throw invalid(
      argument,
      `${argument} is a MENTIONS link, not a fact: mentions are derived from the article's text and never retracted.`,
    );
  }
  return { from, type, to, market: market ?? null };
}

function relationOf(rec: { get(key: string): unknown }): RelationRecord {
  return toRelation(rec.get('r') as Relationship, rec.get('from') as string, rec.get('to') as string);
}

const RETURN_RELATION = 'RETURN r, startNode(r).id AS from, endNode(r).id AS to';

function retractedConflict(argument: string, id: string, p: Record<string, unknown>): CorrectionError {
  const r = retractionOf(p);
  return conflict(
    argument,
    `Fact "${id}" was retracted at ${r?.at ?? 'an unknown time'} by ${r?.by ?? r?.keyId ?? 'the command line'}: ` +
      `"${r?.reason ?? ''}".`,
    { id, retraction: r },
  );
}

const retractionProps = (who: Who, at: string, reason: string) => ({
  status: 'retracted',
  retractedAt: at,
  retractedBy: who.keyId,
  retractedByName: who.name,
  retractedReason: reason,
});

/**
 * The article's MENTIONS of the fact's ends get the quote's span, as ingest links them: every fact's ends are
 * mentioned by the articles it cites, which is how ingest and withdrawArticle find an article's facts without
 * scanning every relationship. Returns the ids of the mention links that changed.
 */
async function linkMentions(
  tx: Tx,
  article: string,
  ends: string[],
  item: StoredEvidence,
): Promise<string[]> {
  const r = await tx.run(
    `UNWIND $ends AS end
     OPTIONAL MATCH (:Article {id: $article})-[m:MENTIONS]->(:Entity {id: end})
     RETURN end, properties(m) AS props`,
    { article, ends: [...new Set(ends)] },
  );
  const rows: { end: string; items: StoredEvidence[] }[] = [];
  for (const rec of r.records) {
    const items = evidenceOf((rec.get('props') as Record<string, unknown> | null) ?? {});
    if (items.some((e) => e.article === article && e.start === item.start && e.end === item.end)) continue;
    items.push({ ...item });
    items.sort((a, b) => a.start - b.start || a.end - b.end);
    rows.push({ end: rec.get('end') as string, items });
  }
  if (rows.length === 0) return [];
  await withAnchors(
    tx,
    rows.map((row) => row.items),
  );
  const written = await tx.run(
    `UNWIND $rows AS row
     MATCH (a:Article {id: $article}), (e:Entity {id: row.end})
     MERGE (a)-[m:MENTIONS {id: row.id}]->(e)
     SET m += row.props
     RETURN m.id AS id`,
    {
      article,
      rows: rows.map((row) => ({
        end: row.end,
        id: factId(article, 'MENTIONS', row.end, null),
        props: { ...evidenceProps(row.items), status: 'stated' },
      })),
    },
  );
  return written.records.map((rec) => rec.get('id') as string);
}

// ---------------------------------------------------------------------------------------------------------
// addFact

export interface AddFactInput {
  type: string;
  from: string;
  to: string;
  market?: string | null;
  article: string;
  quote: string;
  start?: number | null;
  end?: number | null;
  status: EvidenceStatus;
}

export interface AddFactResult {
  fact: RelationRecord;
  /** The relationship did not exist before. */
  created: boolean;
  /** What happened to the evidence: added, its status changed, or already there (nothing written). */
  evidence: 'added' | 'updated' | 'unchanged';
  /** null when nothing was written (the same evidence again): nothing happened, so nothing is logged. */
  change: ChangeRecord | null;
}

/**
 * A fact with one piece of evidence: the relationship is created if it is new, the evidence added to it if not
 * (the same quote at the same place again changes nothing; with another status, that status replaces it). The
 * quote must be in the article's stored text (NFC), at the offsets when given, else exactly once. A retracted
 * fact is not revived by new evidence: CONFLICT naming the retraction.
 */
export async function addFact(tx: Tx, who: Who, input: AddFactInput): Promise<AddFactResult> {
  const { type } = input;
  if (!isRelationshipType(type)) {
    throw invalid(
      'input.type',
      `input.type is not a relationship type of the model: "${type.slice(0, 60)}".`,
    );
  }
  if (type === 'MENTIONS') {
    throw invalid(
      'input.type',
      'MENTIONS is not a fact: mentions are derived from the article text on ingest.',
    );
  }
  const spec = relationshipSpec(type);
  if (!spec) throw invalid('input.type', `input.type is not a relationship type: "${type}".`);
  const marketTerm = input.market ?? null;
  if (spec.market === 'required' && (marketTerm === null || marketTerm.trim() === '')) {
    throw invalid('input.market', `${type} needs the market it holds in: give input.market.`);
  }
  if (spec.market !== 'required' && marketTerm !== null) {
    throw invalid('input.market', `${type} holds in no market: leave input.market out.`);
  }
  const quote = input.quote.normalize('NFC');
  if (quote.trim() === '') throw invalid('input.quote', 'input.quote is empty.');
  const start = input.start ?? undefined;
  const end = input.end ?? undefined;
  if ((start === undefined) !== (end === undefined)) {
    throw invalid(
      start === undefined ? 'input.start' : 'input.end',
      'Give both input.start and input.end, or neither.',
    );
  }
  if (start !== undefined && end !== undefined && (start < 0 || end <= start)) {
    throw invalid(
      'input.start',
      `input.start and input.end must satisfy 0 <= start < end; got ${start}..${end}.`,
    );
  }

  const a = await tx.run('MATCH (a:Entity {id: $id}) RETURN a', { id: input.article });
  const articleNode = a.records[0]?.get('a') as Node | undefined;
  if (!articleNode) {
    throw new CorrectionError('missing', 'input.article', `No article has the id "${input.article}".`, {
      id: input.article,
    });
  }
  const article = toEntity(articleNode);
  if (article.kind !== 'Article') {
    throw invalid('input.article', `input.article must be an article; "${article.id}" is a ${article.kind}.`);
  }
  if (article.props.withdrawnAt != null) {
    throw conflict(
      'input.article',
      `Article "${article.id}" was withdrawn at ${String(article.props.withdrawnAt)}: it supports no new facts.`,
      { id: article.id },
    );
  }
  const text = String(article.props.text ?? '');
  const located = locateQuote(text, quote, start, end);
  if ('problem' in located) {
    throw invalid('input.quote', `In article "${article.id}": ${located.problem}.`, { article: article.id });
  }

  const [from, to, market] = await resolveEntities(tx, [
    { term: input.from, argument: 'input.from', kinds: spec.from },
    { term: input.to, argument: 'input.to', kinds: spec.to },
    ...(marketTerm === null
      ? []
      : [{ term: marketTerm, argument: 'input.market', kinds: ['Market'] as const }]),
  ]);
  if (!from || !to) throw new Error('resolveEntities answers every term');
  if (from.entity.id === to.entity.id) {
    throw invalid('input.to', `input.from and input.to are the same entity ("${from.entity.id}").`);
  }
  const id = factId(from.entity.id, type, to.entity.id, market?.entity.id ?? null);

  await lockEntities(tx, [from.entity.id]);
  const found = await tx.run(
    `MATCH (:Entity {id: $from})-[r:$($type) {id: $id}]->(:Entity {id: $to}) ${RETURN_RELATION}`,
    { from: from.entity.id, to: to.entity.id, type, id },
  );
  const existing = found.records[0]?.get('r') as Relationship | undefined;
  const props = (existing?.properties ?? {}) as Record<string, unknown>;
  if (props.status === 'retracted') throw retractedConflict('input', id, props);

  const item: StoredEvidence = {
    quote,
    start: located.start,
    end: located.end,
    status: input.status,
    article: article.id,
    ...anchorsOf(text, located.start, located.end),
  };
  const items = evidenceOf(props);
  const same = items.findIndex((e) => samePlace(e, item));
  if (existing && same >= 0 && items[same]?.status === item.status) {
    return {
      fact: toRelation(existing, from.entity.id, to.entity.id),
      created: false,
      evidence: 'unchanged',
      change: null,
    };
  }
  if (same >= 0) items[same] = item;
  else items.push(item);
  const state = await withAnchors(tx, [items]);
  const written = await tx.run(
    existing
      ? `MATCH ()-[r]->() WHERE elementId(r) = $eid SET r += $props ${RETURN_RELATION}`
      : `MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
         CREATE (a)-[r:$($type)]->(b) SET r = $props ${RETURN_RELATION}`,
    {
      eid: existing?.elementId ?? null,
      from: from.entity.id,
      to: to.entity.id,
      type,
      props: {
        id,
        market: market?.entity.id ?? null,
        ...evidenceProps(items),
        status: statusOf(items, state.withdrawn),
      },
    },
  );
  const rec = written.records[0];
  if (!rec) throw new Error(`relationship ${id} was not written`);
  const evidence = same >= 0 ? 'updated' : 'added';
  const mentions = await linkMentions(
    tx,
    article.id,
    [from.entity.id, to.entity.id].filter((e) => e !== article.id),
    { ...item, status: 'stated' },
  );
  const change = await recordChange(tx, who, {
    mutation: 'addFact',
    touched: [id, ...mentions],
    counts: {
      factsCreated: existing ? 0 : 1,
      evidenceAdded: evidence === 'added' ? 1 : 0,
      evidenceUpdated: evidence === 'updated' ? 1 : 0,
      mentionsLinked: mentions.length,
    },
  });
  return { fact: relationOf(rec), created: !existing, evidence, change };
}

// ---------------------------------------------------------------------------------------------------------
// retractFact

export interface RetractResult {
  fact: RelationRecord;
  change: ChangeRecord;
}

/**
 * Marks a fact retracted, with who, when and why; its evidence stays. Found by its id's ends (index seeks on
 * :Entity {id}); an end that was merged away is followed to the entity it was merged into. Retracting a
 * retracted fact is a CONFLICT naming the first retraction, which is not overwritten.
 */
export async function retractFact(
  tx: Tx,
  who: Who,
  input: { id: string; reason: string },
): Promise<RetractResult> {
  const parsed = parseFactId(input.id, 'id');
  const reason = checkReason(input.reason);
  const r = await tx.run(
    `UNWIND $ids AS given
     CALL (given) {
       MATCH (n:Entity {id: given}) RETURN n.id AS id
       UNION
       MATCH (:Redirect {id: given})-[:REDIRECTS_TO]->(n:Entity) RETURN n.id AS id
     }
     RETURN given, id`,
    { ids: [parsed.from, parsed.to, ...(parsed.market ? [parsed.market] : [])] },
  );
  const current = new Map(r.records.map((rec) => [rec.get('given') as string, rec.get('id') as string]));
  const from = current.get(parsed.from);
  const to = current.get(parsed.to);
  const market = parsed.market ? (current.get(parsed.market) ?? parsed.market) : null;
  const missing = () =>
    new CorrectionError('missing', 'id', `No fact has the id "${input.id}".`, { id: input.id });
  if (!from || !to) throw missing();
  const id = factId(from, parsed.type, to, market);
  await lockEntities(tx, [from]);
  const found = await tx.run(
    `MATCH (:Entity {id: $from})-[r:$($type) {id: $id}]->(:Entity {id: $to}) ${RETURN_RELATION}`,
    { from, to, type: parsed.type, id },
  );
  const rel = found.records[0]?.get('r') as Relationship | undefined;
  if (!rel) throw missing();
  if (rel.properties.status === 'retracted') throw retractedConflict('id', id, rel.properties);
  const at = new Date().toISOString();
  const written = await tx.run(
    `MATCH ()-[r]->() WHERE elementId(r) = $eid SET r += $props ${RETURN_RELATION}`,
    {
      eid: rel.elementId,
      props: retractionProps(who, at, reason),
    },
  );
  const rec = written.records[0];
  if (!rec) throw new Error(`relationship ${id} was not written`);
  const change = await recordChange(tx, who, {
    mutation: 'retractFact',
    touched: [id],
    counts: { retracted: 1 },
    reason,
  });
  return { fact: relationOf(rec), change };
}

// ---------------------------------------------------------------------------------------------------------
// mergeEntities

export interface MergeResult {
  entity: EntityRecord;
  mergedId: string;
  /** Relationships of the merged entity (and DISTRIBUTES in its market) moved to the kept one. */
  moved: { from: string; to: string }[];
  /** How many of them joined a relationship the kept entity already had (their evidence added to it). */
  combined: number;
  aliasesAdded: string[];
  change: ChangeRecord;
}

/** Entity properties that are not copied as they are: identity, names, and bookkeeping. */
const OWN_PROPERTIES = new Set(['id', 'kind', 'name', 'nameVi', 'aliases', 'sortName', 'mergedIds']);

interface MovingRel {
  eid: string;
  type: string;
  from: string;
  to: string;
  props: Record<string, unknown>;
}

/**
 * Merges one entity into another of the same kind. Every relationship of the merged entity, both directions,
 * any type (MENTIONS too), moves to the kept one with its id recomputed; where the kept one already has that
 * relationship, the evidence lists are joined without duplicates. DISTRIBUTES whose `market` is the merged
 * entity name the kept one instead. Spellings (NameKeys) move; the merged name, Vietnamese name and aliases
 * become aliases; properties the kept entity lacks are copied. The merged node is deleted and a Redirect keeps
 * its id resolving to the kept entity (Redirects that pointed at it follow). Two facts that become one while
 * one is retracted and the other is not are a CONFLICT (a silent revival or retraction would lose a judgement).
 */
export async function mergeEntities(
  tx: Tx,
  who: Who,
  input: { keep: string; merge: string },
): Promise<MergeResult> {
  const [keepR, mergeR] = await resolveEntities(tx, [
    { term: input.keep, argument: 'keep', kinds: null },
    { term: input.merge, argument: 'merge', kinds: null },
  ]);
  if (!keepR || !mergeR) throw new Error('resolveEntities answers every term');
  const keep = keepR.entity;
  const merge = mergeR.entity;
  if (keep.id === merge.id) {
    const already = mergeR.via === 'redirect' || keepR.via === 'redirect';
    throw invalid(
      'merge',
      already
        ? `"${input.merge}" and "${input.keep}" are already one entity: "${keep.id}".`
        : `keep and merge are the same entity ("${keep.id}"): an entity cannot be merged with itself.`,
      { id: keep.id },
    );
  }
  if (keep.kind !== merge.kind) {
    throw conflict(
      'merge',
      `Only entities of one kind merge: "${keep.id}" is a ${keep.kind}, "${merge.id}" a ${merge.kind}.`,
      { keep: keep.id, keepKind: keep.kind, merge: merge.id, mergeKind: merge.kind },
    );
  }
  if (keep.kind === 'Article') {
    throw invalid(
      'merge',
      'Articles are not merged: evidence cites them by id. Withdraw the duplicate instead.',
    );
  }
  await lockEntities(tx, [keep.id, merge.id]);

  const movingRows = await tx.run(
    `MATCH (m:Entity {id: $merge})
     CALL (m) {
       MATCH (m)-[r]-(:Entity) RETURN r
       UNION
       MATCH ()-[r:DISTRIBUTES {market: $merge}]->() RETURN r
     }
     RETURN DISTINCT elementId(r) AS eid, type(r) AS type, startNode(r).id AS from, endNode(r).id AS to,
       properties(r) AS props`,
    { merge: merge.id },
  );
  const moving: MovingRel[] = movingRows.records.map((rec) => ({
    eid: rec.get('eid'),
    type: rec.get('type'),
    from: rec.get('from'),
    to: rec.get('to'),
    props: rec.get('props'),
  }));
  const swap = (id: string) => (id === merge.id ? keep.id : id);
  interface Target {
    id: string;
    type: string;
    from: string;
    to: string;
    market: string | null;
    members: MovingRel[];
  }
  const targets = new Map<string, Target>();
  /** Each moved relationship's id before and after. */
  const moved: { from: string; to: string }[] = [];
  for (const rel of moving) {
    const from = swap(rel.from);
    const to = swap(rel.to);
    const market = rel.props.market == null ? null : swap(String(rel.props.market));
    const id = factId(from, rel.type, to, market);
    let t = targets.get(id);
    if (!t) {
      t = { id, type: rel.type, from, to, market, members: [] };
      targets.set(id, t);
    }
    t.members.push(rel);
    moved.push({ from: String(rel.props.id), to: id });
  }
  const movingIds = new Set(moving.map((m) => m.eid));
  const existingRows = await tx.run(
    `UNWIND $targets AS t
     MATCH (:Entity {id: t.from})-[r:$(t.type) {id: t.id}]->(:Entity {id: t.to})
     RETURN t.id AS id, elementId(r) AS eid, properties(r) AS props`,
    { targets: [...targets.values()].map(({ id, type, from, to }) => ({ id, type, from, to })) },
  );
  const existing = new Map<string, { eid: string; props: Record<string, unknown> }>();
  for (const rec of existingRows.records) {
    if (!movingIds.has(rec.get('eid')))
      existing.set(rec.get('id'), { eid: rec.get('eid'), props: rec.get('props') });
  }

  // Each target: the kept entity's relationship (if any) first, then the moved ones, evidence joined.
  const plans = [...targets.values()].map((t) => {
    const kept = existing.get(t.id);
    const all = [...(kept ? [kept.props] : []), ...t.members.map((m) => m.props)];
    const items: StoredEvidence[] = [];
    for (const e of all.flatMap(evidenceOf)) if (!items.some((x) => sameItem(x, e))) items.push(e);
    // A mention's spans read in text order, as ingest writes them.
    if (t.type === 'MENTIONS') items.sort((a, b) => a.start - b.start || a.end - b.end);
    return { target: t, kept, all, items };
  });
  const mixed = plans.filter((p) => {
    const retracted = p.all.filter((props) => props.status === 'retracted').length;
    return retracted > 0 && retracted < p.all.length;
  });
  if (mixed.length > 0) {
    const ids = mixed.map((p) => p.target.id);
    throw conflict(
      'merge',
      `Merging would join a retracted fact with one that is not: ${ids.join(', ')}. Retract the other too, or keep them apart.`,
      { facts: ids },
    );
  }
  const state = await withAnchors(
    tx,
    plans.map((p) => p.items),
  );
  const updates: { eid: string; props: Record<string, unknown> }[] = [];
  const creates: { type: string; from: string; to: string; props: Record<string, unknown> }[] = [];
  for (const p of plans) {
    // Other properties (a retraction, anything a later version adds) come from the first that has them.
    const props: Record<string, unknown> = {};
    for (const source of p.all) for (const [k, v] of Object.entries(source)) if (!(k in props)) props[k] = v;
    Object.assign(props, {
      id: p.target.id,
      market: p.target.market,
      ...evidenceProps(p.items),
      status: props.status === 'retracted' ? 'retracted' : statusOf(p.items, state.withdrawn),
    });
    if (p.kept) updates.push({ eid: p.kept.eid, props });
    else creates.push({ type: p.target.type, from: p.target.from, to: p.target.to, props });
  }
  await tx.run('UNWIND $eids AS eid MATCH ()-[r]->() WHERE elementId(r) = eid DELETE r', {
    eids: [...movingIds],
  });
  await tx.run('UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.eid SET r = row.props', {
    rows: updates,
  });
  await tx.run(
    `UNWIND $rows AS row
     MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
     CREATE (a)-[r:$(row.type)]->(b) SET r = row.props`,
    { rows: creates },
  );

  const aliases = [...keep.aliases];
  for (const spelling of [merge.name, merge.nameVi, ...merge.aliases]) {
    if (spelling && spelling !== keep.name && spelling !== keep.nameVi && !aliases.includes(spelling)) {
      aliases.push(spelling);
    }
  }
  const copied: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(merge.props)) {
    if (!OWN_PROPERTIES.has(k) && v != null && keep.props[k] == null) copied[k] = v;
  }
  const mergedIds = [
    ...((keep.props.mergedIds as string[] | undefined) ?? []),
    merge.id,
    ...((merge.props.mergedIds as string[] | undefined) ?? []),
  ];
  const rewired = await tx.run(
    `MATCH (m:Entity {id: $merge}), (k:Entity {id: $keep})
     CALL (m, k) {
       MATCH (key:NameKey)-[x:NAMES]->(m)
       MERGE (key)-[:NAMES]->(k)
       DELETE x
       RETURN count(key) AS spellings
     }
     CALL (m, k) {
       MATCH (old:Redirect)-[x:REDIRECTS_TO]->(m)
       CREATE (old)-[:REDIRECTS_TO]->(k)
       DELETE x
       RETURN count(old) AS redirects
     }
     SET k += $props
     DELETE m
     MERGE (redirect:Redirect {id: $merge})
     WITH k, redirect, spellings, redirects
     CALL (redirect) {
       MATCH (redirect)-[stale:REDIRECTS_TO]->()
       DELETE stale
     }
     CREATE (redirect)-[:REDIRECTS_TO]->(k)
     RETURN k, spellings, redirects`,
    { merge: merge.id, keep: keep.id, props: { ...copied, aliases, mergedIds } },
  );
  const rec = rewired.records[0];
  if (!rec) throw new Error(`merge of ${merge.id} into ${keep.id} wrote nothing`);
  const aliasesAdded = aliases.filter((a) => !keep.aliases.includes(a));
  const combined = plans.reduce((n, p) => n + p.all.length - 1, 0);
  const change = await recordChange(tx, who, {
    mutation: 'mergeEntities',
    touched: [keep.id, merge.id, ...moving.map((m) => String(m.props.id)), ...targets.keys()],
    counts: {
      relationshipsMoved: moving.length,
      relationshipsCombined: combined,
      aliasesAdded: aliasesAdded.length,
      spellingsMoved: rec.get('spellings') as number,
      propertiesCopied: Object.keys(copied).length,
      redirectsRepointed: rec.get('redirects') as number,
    },
  });
  return {
    entity: toEntity(rec.get('k') as Node),
    mergedId: merge.id,
    moved,
    combined,
    aliasesAdded,
    change,
  };
}

// ---------------------------------------------------------------------------------------------------------
// withdrawArticle

export interface WithdrawResult {
  article: EntityRecord;
  /** Facts retracted: no article still stands behind them. */
  retracted: string[];
  /** Facts that stay, supported by other articles too (their status now from those alone). */
  kept: string[];
  change: ChangeRecord;
}

/**
 * Withdraws an article: it is marked (who, when, why), and every fact whose evidence comes only from it (or
 * from it and articles already withdrawn) is retracted with the reason "article withdrawn: ...". Facts other
 * articles support stay, their status recomputed from those. MENTIONS links are not facts and stay as the
 * record of what the article said. Evidence is never removed. The article's facts are found from its
 * mentions (every fact's ends are mentioned by the articles it cites: ingest and addFact link them, a merge
 * moves them), as ingest finds them, rather than by a scan of every relationship's list of articles.
 */
export async function withdrawArticle(
  tx: Tx,
  who: Who,
  input: { id: string; reason: string },
): Promise<WithdrawResult> {
  const reason = checkReason(input.reason);
  await lockEntities(tx, [input.id]);
  const a = await tx.run('MATCH (a:Entity {id: $id}) RETURN a', { id: input.id });
  const node = a.records[0]?.get('a') as Node | undefined;
  if (!node)
    throw new CorrectionError('missing', 'id', `No article has the id "${input.id}".`, { id: input.id });
  const article = toEntity(node);
  if (article.kind !== 'Article') {
    throw invalid('id', `id must be an article's id; "${article.id}" is a ${article.kind}.`);
  }
  if (article.props.withdrawnAt != null) {
    const by = article.props.withdrawnByName ?? article.props.withdrawnBy ?? 'the command line';
    throw conflict(
      'id',
      `Article "${article.id}" was already withdrawn at ${String(article.props.withdrawnAt)} by ${String(by)}: "${String(article.props.withdrawnReason ?? '')}".`,
      { id: article.id },
    );
  }
  const citing = await tx.run(
    `MATCH (:Article {id: $id})-[:MENTIONS]->(:Entity)-[r]->(:Entity)
     WHERE type(r) <> 'MENTIONS' AND $id IN r.evidenceArticles AND r.status <> 'retracted'
     RETURN DISTINCT elementId(r) AS eid, properties(r) AS props`,
    { id: article.id },
  );
  const facts = citing.records.map((rec) => ({
    eid: rec.get('eid') as string,
    props: rec.get('props') as Record<string, unknown>,
  }));
  const items = facts.map((f) => evidenceOf(f.props));
  const state = await articlesOf(
    tx,
    items.flat().map((e) => e.article),
    [],
  );
  state.withdrawn.add(article.id);
  const at = new Date().toISOString();
  const retracted: { eid: string; id: string }[] = [];
  const kept: { eid: string; id: string; status: EvidenceStatus; was: unknown }[] = [];
  facts.forEach((f, i) => {
    const evidence = items[i] ?? [];
    const id = String(f.props.id);
    if (evidence.every((e) => state.withdrawn.has(e.article))) retracted.push({ eid: f.eid, id });
    else kept.push({ eid: f.eid, id, status: statusOf(evidence, state.withdrawn), was: f.props.status });
  });
  const withdrawal = `article withdrawn: ${reason}`;
  await tx.run(
    `MATCH (a:Article {id: $id})
     SET a.withdrawnAt = $at, a.withdrawnBy = $keyId, a.withdrawnByName = $name, a.withdrawnReason = $reason`,
    { id: article.id, at, keyId: who.keyId, name: who.name, reason },
  );
  await tx.run('UNWIND $eids AS eid MATCH ()-[r]->() WHERE elementId(r) = eid SET r += $props', {
    eids: retracted.map((r) => r.eid),
    props: retractionProps(who, at, withdrawal),
  });
  const restated = kept.filter((k) => k.status !== k.was);
  await tx.run(
    'UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.eid SET r.status = row.status',
    {
      rows: restated.map(({ eid, status }) => ({ eid, status })),
    },
  );
  const after = await tx.run('MATCH (a:Article {id: $id}) RETURN a', { id: article.id });
  const change = await recordChange(tx, who, {
    mutation: 'withdrawArticle',
    touched: [article.id, ...retracted.map((r) => r.id), ...restated.map((k) => k.id)],
    counts: { retracted: retracted.length, kept: kept.length, restated: restated.length },
    reason,
  });
  return {
    article: toEntity(after.records[0]?.get('a') as Node),
    retracted: retracted.map((r) => r.id).sort(),
    kept: kept.map((k) => k.id).sort(),
    change,
  };
}
