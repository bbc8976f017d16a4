import { createHash } from 'node:crypto';
import type { Record as Neo4jRecord } from 'neo4j-driver';
import type { Runner, Tx } from '../neo4j/driver.js';
import { type ChangeRecord, recordChange, type Who } from './changes.js';
import { scanMentions } from './mentions.js';
import { type EntityKind, type EvidenceStatus, FACT_KINDS, FACT_RELATIONSHIP_TYPES } from './model.js';
import { foldName } from './names.js';
import { anchorsOf } from './quotes.js';

export interface EvidenceItem {
  quote: string;
  start: number;
  end: number;
  /** The text just before and after the quote, so it can be found again if the text shifts. */
  prefix: string;
  suffix: string;
  status: EvidenceStatus;
  article: string;
}

/** Who withdrew or retracted something, when and why. */
export interface Revocation {
  /** ISO 8601, UTC. */
  at: string;
  keyId: string | null;
  by: string | null;
  reason: string;
}

export interface FactEntity {
  /** How the document names it: its id, or `#<index>` when it has none (the graph then decides). */
  ref: string;
  id: string | null;
  kind: Exclude<EntityKind, 'Article'>;
  name: string;
  nameVi: string | null;
  aliases: string[];
  description: string | null;
  properties: Record<string, string | number | string[]>;
  /** Ids of entities merged into this one (export writes them so a round trip keeps the redirects). */
  mergedIds: string[];
  /** Folded name, Vietnamese name and aliases: the spellings a lookup accepts. */
  keys: string[];
}

export interface FactRelationship {
  type: string;
  /** Refs of the document's entities (or the article's id). */
  from: string;
  to: string;
  market: string | null;
  evidence: EvidenceItem[];
  /** Set when the document carries a retracted fact (an export). */
  retraction: Revocation | null;
}

export interface MentionItem {
  /** A ref of the document's entities. */
  entity: string;
  start: number;
  end: number;
  quote: string;
}

export interface Facts {
  article: {
    id: string;
    title: string;
    titleVi: string | null;
    language: string;
    /** The text file beside the facts file, or null when the facts file holds the text inline. */
    file: string | null;
    url: string | null;
    /** ISO date (YYYY-MM-DD). */
    publishedAt: string | null;
    publisher: string | null;
    text: string;
    withdrawal: Revocation | null;
    keys: string[];
  };
  entities: FactEntity[];
  relationships: FactRelationship[];
  /** The article's mentions as given (an export); null to find them in the text. */
  mentions: MentionItem[] | null;
}

/** A document of entities alone, without an article: how an export writes the entities no article touches. */
export interface EntitiesDocument {
  article: null;
  entities: FactEntity[];
}

/** A document of a facts file: an article and its facts, or entities alone. */
export type FactsDocument = Facts | EntitiesDocument;

/** How an entity of the document was resolved against the graph. */
export interface Resolution {
  /** Its index in the document's entities. */
  index: number;
  id: string;
  name: string;
  /** `id`: the document gave its id; `name`: one of its spellings found it; `new`: created. */
  by: 'id' | 'name' | 'new';
  /** The document's spelling that found it (by name). */
  spelling: string | null;
}

export interface IngestReport {
  article: string;
  entities: number;
  relationships: number;
  /** Evidence items on the document's relationships. */
  evidence: number;
  mentions: number;
  created: Resolution[];
  matched: Resolution[];
  /** Facts the article supported before and no longer does, now retracted (nothing else supported them). */
  retracted: string[];
  /** Facts the article supported before and no longer does, kept on the other articles' evidence. */
  unsupported: string[];
  /** Facts of the document that were retracted before and stay so (ingest never revives a retraction). */
  stillRetracted: string[];
  /** Whether anything in the graph changed; a Change is recorded only then. */
  changed: boolean;
  nodesCreated: number;
  relationshipsCreated: number;
  change: ChangeRecord | null;
}

export class KindConflictError extends Error {
  override name = 'KindConflictError';
  constructor(readonly conflicts: { index: number; id: string; existing: string; incoming: string }[]) {
    super(
      conflicts
        .map((c) => `"${c.id}" is already in the graph as a ${c.existing}, not a ${c.incoming}`)
        .join('; '),
    );
  }
}

/** A document's entity that the graph cannot place: a spelling of several entities, or two entities as one. */
export class ResolutionError extends Error {
  override name = 'ResolutionError';
  constructor(
    readonly problems: {
      index: number;
      spelling: string | null;
      candidates: { id: string; name: string }[];
      message: string;
    }[],
  ) {
    super(problems.map((p) => p.message).join('; '));
  }
}

/** Rows per statement: a file of thousands of entities is written in a few statements of bounded size. */
const CHUNK = 5_000;

/** The id a new entity gets: its kind and its name, as a slug ("company:koma-trade"), or a hash for a name in
 * another script. */
export function derivedId(kind: string, name: string): string {
  const slug = foldName(name)
    .normalize('NFD')
    .replace(/[^a-z0-9 ]+/g, '')
    .trim()
    .replace(/ +/g, '-')
    .slice(0, 60)
    .replace(/-+$/, '');
  const tail = slug || `e-${createHash('sha256').update(name).digest('hex').slice(0, 10)}`;
  return `${kind.toLowerCase()}:${tail}`;
}

/** Candidates for a new entity's id, the first one free is taken. */
const derivedCandidates = (kind: string, name: string) => {
  const base = derivedId(kind, name);
  return [base, ...Array.from({ length: 8 }, (_, i) => `${base}-${i + 2}`)];
};

// Writes that share a spelling run one after the other. Before it reads anything, each takes a write lock on
// the NameKey of every spelling of its entities (creating the missing ones, which it links anyway), all in one
// order so that two writes never wait on each other; one that waited then resolves against what the other
// committed. Without it, two ingests at once each created the new entity they spelled differently, and each
// kept only its own new aliases of an entity they shared (tests/ingest-concurrency.int.test.ts).
const LOCK_SPELLINGS = `
  UNWIND $keys AS key
  MERGE (k:NameKey {key: key})
  SET k.key = key`;

// One statement resolves every entity of a chunk: by id (a merged id through its redirect), else by its
// spellings among entities of its kind; and which derived ids are free, for those that will be created.
const RESOLVE = `
  UNWIND $rows AS row
  OPTIONAL MATCH (direct:Entity {id: row.id})
  OPTIONAL MATCH (:Redirect {id: row.id})-[:REDIRECTS_TO]->(redirected:Entity)
  WITH row, coalesce(direct, redirected) AS found
  CALL (row) {
    UNWIND CASE WHEN row.id IS NULL THEN row.keys ELSE [] END AS key
    MATCH (:NameKey {key: key})-[:NAMES]->(e:Entity)
    WHERE e.kind = row.kind
    RETURN collect(DISTINCT {key: key, id: e.id, name: e.name, nameVi: e.nameVi, aliases: e.aliases,
      description: e.description, props: properties(e)}) AS named
  }
  CALL (row) {
    UNWIND row.candidates AS candidate
    OPTIONAL MATCH (taken:Entity {id: candidate})
    OPTIONAL MATCH (redirect:Redirect {id: candidate})
    WITH candidate WHERE taken IS NULL AND redirect IS NULL
    RETURN collect(candidate) AS free
  }
  RETURN row.i AS i, found.id AS id, found.kind AS kind, found { .* } AS props, named, free`;

// New entities get everything; existing ones only what the resolution computed they lack (set), and every
// spelling as a NameKey. Spellings are never unlinked by an ingest: another article may use them.
const WRITE_NODES = `
  UNWIND $rows AS row
  MERGE (n:Entity {id: row.id})
  ON CREATE SET n:$(row.kind)
  SET n += row.set
  WITH n, row
  CALL (n, row) {
    UNWIND row.keys AS key
    MERGE (k:NameKey {key: key})
    MERGE (k)-[:NAMES]->(n)
  }
  CALL (n, row) {
    UNWIND row.mergedIds AS merged
    MERGE (redirect:Redirect {id: merged})
    MERGE (redirect)-[:REDIRECTS_TO]->(n)
  }`;

const STATUS_OF = (list: string) => `CASE
        WHEN 'confirmed' IN ${list} THEN 'confirmed'
        WHEN 'stated' IN ${list} THEN 'stated'
        WHEN 'reported' IN ${list} THEN 'reported'
        ELSE 'speculated' END`;

// Evidence lives on the relationship as parallel lists, one slot per item; an article's ingest replaces its
// own items and keeps those of other articles, so articles add up instead of overwriting. A retracted fact
// stays retracted (only an explicit retraction in the document, from an export, sets one). Returns how many
// relationships it changed, and the ones that stay retracted.
const WRITE_RELATIONSHIPS = `
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:$(row.type) {id: row.id}]->(b)
  WITH r, row, properties(r) AS before
  WITH r, row, before, coalesce(r.evidenceArticles, []) AS arts
  WITH r, row, before, arts, [i IN range(0, size(arts) - 1) WHERE arts[i] <> row.article] AS keep
  WITH r, row, before,
    [i IN keep | r.evidenceQuotes[i]] + row.quotes AS quotes,
    [i IN keep | r.evidenceStarts[i]] + row.starts AS starts,
    [i IN keep | r.evidenceEnds[i]] + row.ends AS ends,
    [i IN keep | coalesce(r.evidencePrefixes[i], '')] + row.prefixes AS prefixes,
    [i IN keep | coalesce(r.evidenceSuffixes[i], '')] + row.suffixes AS suffixes,
    [i IN keep | r.evidenceStatuses[i]] + row.statuses AS statuses,
    [i IN keep | arts[i]] + row.articles AS articles
  // Items of withdrawn articles stay but count toward the status only when no other article is left (the rule
  // of withdrawArticle and addFact), so a withdrawal survives ingesting the other articles (and an export).
  WITH r, row, before, quotes, starts, ends, prefixes, suffixes, statuses, articles,
    [i IN range(0, size(articles) - 1)
      WHERE NOT EXISTS { MATCH (w:Article {id: articles[i]}) WHERE w.withdrawnAt IS NOT NULL } | statuses[i]] AS live
  WITH r, row, before, quotes, starts, ends, prefixes, suffixes, statuses, articles,
    CASE WHEN size(live) > 0 THEN live ELSE statuses END AS counted
  SET r.market = row.market, r.evidenceQuotes = quotes, r.evidenceStarts = starts, r.evidenceEnds = ends,
      r.evidencePrefixes = prefixes, r.evidenceSuffixes = suffixes, r.evidenceStatuses = statuses,
      r.evidenceArticles = articles,
      r.status = CASE WHEN r.status = 'retracted' OR row.retraction IS NOT NULL THEN 'retracted'
        ELSE ${STATUS_OF('counted')} END
  WITH r, row, before
  CALL (r, row) {
    WITH r, row WHERE row.retraction IS NOT NULL
    SET r.retractedAt = row.retraction.at, r.retractedBy = row.retraction.keyId,
        r.retractedByName = row.retraction.by, r.retractedReason = row.retraction.reason
  }
  RETURN count(CASE WHEN properties(r) <> before THEN 1 END) AS changed,
    collect(CASE WHEN r.status = 'retracted' AND row.retraction IS NULL THEN r.id END) AS stillRetracted`;

// The facts an article supported at its last ingest: every one has its ends among the article's mentions
// (the ingest links them), so they are found from the article without scanning the relationships.
const PREVIOUS_FACTS = `
  MATCH (:Article {id: $article})-[:MENTIONS]->(e:Entity)-[r]->(o)
  WHERE type(r) <> 'MENTIONS' AND $article IN r.evidenceArticles AND r.status <> 'retracted'
  RETURN DISTINCT r.id AS id, e.id AS from, o.id AS to`;

// A fact the article no longer states: retracted when the article was all its support (its evidence kept),
// otherwise the article's items leave it and the rest decide its status.
const DROP_FACTS = `
  MATCH (:Article {id: $article})-[:MENTIONS]->(:Entity)-[r]->()
  WHERE r.id IN $ids AND type(r) <> 'MENTIONS'
  WITH DISTINCT r, [i IN range(0, size(r.evidenceArticles) - 1) WHERE r.evidenceArticles[i] <> $article] AS keep
  CALL (r, keep) {
    WITH r WHERE size(keep) = 0 AND r.status <> 'retracted'
    SET r.status = 'retracted', r.retractedAt = $at, r.retractedBy = $keyId, r.retractedByName = $by,
        r.retractedReason = $reason
  }
  CALL (r, keep) {
    WITH r, keep WHERE size(keep) > 0
    WITH r, keep, [i IN keep | r.evidenceStatuses[i]] AS statuses
    SET r.evidenceQuotes = [i IN keep | r.evidenceQuotes[i]], r.evidenceStarts = [i IN keep | r.evidenceStarts[i]],
        r.evidenceEnds = [i IN keep | r.evidenceEnds[i]],
        r.evidencePrefixes = [i IN keep | coalesce(r.evidencePrefixes[i], '')],
        r.evidenceSuffixes = [i IN keep | coalesce(r.evidenceSuffixes[i], '')],
        r.evidenceArticles = [i IN keep | r.evidenceArticles[i]], r.evidenceStatuses = statuses,
        r.status = CASE WHEN r.status = 'retracted' THEN 'retracted' ELSE ${STATUS_OF('statuses')} END
  }
  RETURN r.id AS id, size(keep) = 0 AS retracted`;

// The article's mentions are derived: links no longer found go, unless a fact of the article still needs them.
const DROP_MENTIONS = `
  MATCH (:Article {id: $article})-[m:MENTIONS]->(e:Entity)
  WHERE NOT e.id IN $keep
  DELETE m
  RETURN count(m) AS dropped`;

/**
 * Labels and types reach Cypher as dynamic tokens, so they are held to the model's lists here as well as in
 * the facts reader: a document built in code cannot invent one.
 */
function assertModelTokens(
  entities: readonly FactEntity[],
  relationships: readonly FactRelationship[],
): void {
  const kinds = new Set<string>(FACT_KINDS);
  const types = new Set<string>(FACT_RELATIONSHIP_TYPES);
  for (const e of entities) {
    if (!kinds.has(e.kind)) throw new Error(`"${e.ref}" has a kind the model does not know: ${e.kind}`);
  }
  for (const r of relationships) {
    if (!types.has(r.type)) throw new Error(`a relationship has a type the model does not know: ${r.type}`);
  }
}

const evidenceLists = (evidence: readonly EvidenceItem[]) => ({
  quotes: evidence.map((e) => e.quote),
  starts: evidence.map((e) => e.start),
  ends: evidence.map((e) => e.end),
  prefixes: evidence.map((e) => e.prefix),
  suffixes: evidence.map((e) => e.suffix),
  statuses: evidence.map((e) => e.status),
  articles: evidence.map((e) => e.article),
});

export const relationshipId = (from: string, type: string, to: string, market: string | null) =>
  `${from}|${type}|${to}${market ? `|${market}` : ''}`;

interface Named {
  key: string;
  id: string;
  name: string;
  nameVi: string | null;
  aliases: string[] | null;
  description: string | null;
  props: Record<string, unknown>;
}

/** The properties a new entity is created with. */
function newEntityProps(e: FactEntity): Record<string, unknown> {
  return {
    ...e.properties,
    kind: e.kind,
    name: e.name,
    nameVi: e.nameVi,
    aliases: e.aliases,
    description: e.description,
    sortName: foldName(e.name),
    ...(e.mergedIds.length > 0 ? { mergedIds: e.mergedIds } : {}),
  };
}

/**
 * What an existing entity gains from a document: its spellings it lacks, as aliases, and the properties it has
 * no value for. A document never overwrites what an entity has (upsertEntity does that, on purpose).
 */
export function additionsTo(existing: Record<string, unknown>, e: FactEntity): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  const known = new Set(
    [existing.name, existing.nameVi, ...((existing.aliases as string[] | undefined) ?? [])]
      .filter((s): s is string => typeof s === 'string')
      .map(foldName),
  );
  const aliases = [...((existing.aliases as string[] | undefined) ?? [])];
  for (const spelling of [e.name, e.nameVi, ...e.aliases]) {
    if (!spelling || known.has(foldName(spelling))) continue;
    if (spelling === e.nameVi && existing.nameVi == null) set.nameVi = spelling;
    else aliases.push(spelling);
    known.add(foldName(spelling));
  }
  if (aliases.length > ((existing.aliases as string[] | undefined) ?? []).length) set.aliases = aliases;
  if (existing.description == null && e.description !== null) set.description = e.description;
  for (const [k, v] of Object.entries(e.properties)) if (existing[k] == null) set[k] = v;
  const merged = (existing.mergedIds as string[] | undefined) ?? [];
  const moreMerged = e.mergedIds.filter((m) => !merged.includes(m));
  if (moreMerged.length > 0) set.mergedIds = [...merged, ...moreMerged];
  return set;
}

async function resolveEntities(tx: Runner, entities: readonly FactEntity[]) {
  const resolutions: Resolution[] = [];
  const sets: Record<string, unknown>[] = [];
  const conflicts: KindConflictError['conflicts'] = [];
  const problems: ResolutionError['problems'] = [];
  // Ids the document holds already: an entity found by a spelling must not be one of them.
  const taken = new Map<string, number>();
  entities.forEach((e, i) => {
    if (e.id !== null) taken.set(e.id, i);
  });
  const keys = [...new Set(entities.flatMap((e) => e.keys))].sort();
  let keysCreated = 0;
  for (let offset = 0; offset < keys.length; offset += CHUNK) {
    const locked = await tx.run(LOCK_SPELLINGS, { keys: keys.slice(offset, offset + CHUNK) });
    keysCreated += locked.summary.counters.updates().nodesCreated;
  }
  for (let offset = 0; offset < entities.length; offset += CHUNK) {
    const chunk = entities.slice(offset, offset + CHUNK);
    const result = await tx.run(RESOLVE, {
      rows: chunk.map((e, j) => ({
        i: offset + j,
        id: e.id,
        kind: e.kind,
        keys: e.keys,
        candidates: e.id === null ? derivedCandidates(e.kind, e.name) : [],
      })),
    });
    for (const rec of result.records) {
      const i = rec.get('i') as number;
      const e = entities[i] as FactEntity;
      const foundId = rec.get('id') as string | null;
      if (e.id !== null) {
        if (foundId === null) {
          resolutions[i] = { index: i, id: e.id, name: e.name, by: 'new', spelling: null };
          sets[i] = newEntityProps(e);
        } else if (rec.get('kind') !== e.kind) {
          conflicts.push({ index: i, id: e.id, existing: rec.get('kind'), incoming: e.kind });
        } else {
          const props = rec.get('props') as Record<string, unknown>;
          resolutions[i] = { index: i, id: foundId, name: String(props.name), by: 'id', spelling: null };
          sets[i] = additionsTo(props, e);
        }
        continue;
      }
      const named = rec.get('named') as Named[];
      const ids = [...new Set(named.map((n) => n.id))].sort();
      if (ids.length === 0) {
        const id = (rec.get('free') as string[]).find((c) => !taken.has(c));
        if (!id) {
          problems.push({
            index: i,
            spelling: e.name,
            candidates: [],
            message: `entities[${i}] "${e.name}": no free id for a new ${e.kind}; give it an id`,
          });
          continue;
        }
        resolutions[i] = { index: i, id, name: e.name, by: 'new', spelling: null };
        sets[i] = newEntityProps(e);
      } else if (ids.length === 1) {
        const n = named[0] as Named;
        const spelling = [e.name, e.nameVi, ...e.aliases].find((s) => s && foldName(s) === n.key) ?? n.key;
        resolutions[i] = { index: i, id: n.id, name: n.name, by: 'name', spelling };
        sets[i] = additionsTo({ ...n.props, aliases: n.aliases ?? [] }, e);
      } else {
        const candidates = ids.map((id) => ({ id, name: named.find((n) => n.id === id)?.name ?? id }));
        problems.push({
          index: i,
          spelling: e.name,
          candidates,
          message: `entities[${i}] "${e.name}" could mean ${candidates.map((c) => `${c.name} (${c.id})`).join(', ')}: give its id`,
        });
        continue;
      }
      const id = resolutions[i]?.id as string;
      const other = taken.get(id);
      if (other !== undefined) {
        problems.push({
          index: i,
          spelling: e.name,
          candidates: [{ id, name: resolutions[i]?.name ?? id }],
          message: `entities[${i}] and entities[${other}] both mean ${id}: declare it once`,
        });
      }
      taken.set(id, i);
    }
  }
  if (conflicts.length > 0) throw new KindConflictError(conflicts);
  if (problems.length > 0) throw new ResolutionError(problems);
  return { resolutions, sets, keysCreated };
}

/** Every place in the article where a fact of the document quotes about an entity, as mention spans. */
function evidenceMentions(facts: Facts, idOf: (ref: string) => string) {
  const spans: { entity: string; start: number; end: number; quote: string }[] = [];
  for (const r of facts.relationships) {
    for (const end of [r.from, r.to]) {
      if (end === facts.article.id) continue;
      for (const e of r.evidence)
        spans.push({ entity: idOf(end), start: e.start, end: e.end, quote: e.quote });
    }
  }
  return spans;
}

/**
 * Ingests one document in the caller's transaction: resolves its entities (by id, else by spelling), writes
 * them and its facts, retracts what the article no longer states, links its mentions and records a Change
 * when anything changed. Any failure throws, and the transaction takes back everything.
 */
export async function ingestFacts(tx: Tx, facts: Facts, who: Who): Promise<IngestReport> {
  assertModelTokens(facts.entities, facts.relationships);
  const a = facts.article;
  let nodesCreated = 0;
  let relationshipsCreated = 0;
  let changedItems = 0;
  const run = async (cypher: string, params: Record<string, unknown>) => {
    const result = await tx.run(cypher, params);
    const c = result.summary.counters.updates();
    nodesCreated += c.nodesCreated;
    relationshipsCreated += c.relationshipsCreated;
    changedItems += c.nodesCreated + c.nodesDeleted + c.relationshipsCreated + c.relationshipsDeleted;
    return result.records;
  };
  const inChunks = async <T>(cypher: string, rows: T[], each?: (records: Neo4jRecord[]) => void) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const records = await run(cypher, { rows: rows.slice(i, i + CHUNK) });
      each?.(records);
    }
  };

  const { resolutions, sets, keysCreated } = await resolveEntities(tx, facts.entities);
  nodesCreated += keysCreated;
  changedItems += keysCreated;
  const idByRef = new Map(facts.entities.map((e, i) => [e.ref, resolutions[i]?.id as string]));
  const idOf = (ref: string) => (ref === a.id ? a.id : (idByRef.get(ref) as string));

  // The article: its own properties are the document's.
  const existingArticle = await tx.run('MATCH (n:Article {id: $id}) RETURN properties(n) AS props', {
    id: a.id,
  });
  const before = (existingArticle.records[0]?.get('props') as Record<string, unknown> | undefined) ?? null;
  const articleProps: Record<string, unknown> = {
    kind: 'Article',
    name: a.title,
    nameVi: a.titleVi,
    aliases: [],
    sortName: foldName(a.title),
    title: a.title,
    language: a.language,
    file: a.file,
    url: a.url,
    publishedAt: a.publishedAt,
    publisher: a.publisher,
    text: a.text,
    ...(a.withdrawal
      ? {
          withdrawnAt: a.withdrawal.at,
          withdrawnBy: a.withdrawal.keyId,
          withdrawnByName: a.withdrawal.by,
          withdrawnReason: a.withdrawal.reason,
        }
      : {}),
  };
  const articleChanges = Object.fromEntries(
    Object.entries(articleProps).filter(
      ([k, v]) => JSON.stringify(before?.[k] ?? null) !== JSON.stringify(v ?? null),
    ),
  );
  const nodeRows = [
    { id: a.id, kind: 'Article', set: articleChanges, keys: a.keys, mergedIds: [] },
    ...facts.entities.map((e, i) => ({
      id: resolutions[i]?.id,
      kind: e.kind,
      set: sets[i] ?? {},
      keys: e.keys,
      mergedIds: e.mergedIds,
    })),
  ];
  changedItems += nodeRows.filter((row) => Object.keys(row.set).length > 0).length;
  await inChunks(WRITE_NODES, nodeRows);

  // What the article stated before and no longer does.
  const rows = facts.relationships.map((r) => {
    const from = idOf(r.from);
    const to = idOf(r.to);
    const market = r.market === null ? null : idOf(r.market);
    return {
      id: relationshipId(from, r.type, to, market),
      type: r.type,
      from,
      to,
      market,
      article: a.id,
      retraction: r.retraction,
      ...evidenceLists(r.evidence),
    };
  });
  const stated = new Set(rows.map((r) => r.id));
  const previous = (await tx.run(PREVIOUS_FACTS, { article: a.id })).records.map((rec) => ({
    id: rec.get('id') as string,
    ends: [rec.get('from') as string, rec.get('to') as string],
  }));
  const gone = previous.filter((p) => !stated.has(p.id));
  const retracted: string[] = [];
  const unsupported: string[] = [];
  if (gone.length > 0) {
    const records = await run(DROP_FACTS, {
      article: a.id,
      ids: gone.map((g) => g.id),
      at: new Date().toISOString(),
      keyId: who.keyId,
      by: who.name,
      reason: `no longer stated by ${a.id} (ingested again without it)`,
    });
    for (const rec of records) (rec.get('retracted') ? retracted : unsupported).push(rec.get('id'));
    changedItems += records.length;
  }

  const stillRetracted: string[] = [];
  await inChunks(WRITE_RELATIONSHIPS, rows, (records) => {
    for (const rec of records) {
      changedItems += rec.get('changed') as number;
      stillRetracted.push(...(rec.get('stillRetracted') as string[]));
    }
  });

  // Mentions: as given (an export), or every spelling of a known entity in the text plus every quote of a fact.
  const spans = facts.mentions?.map((m) => ({ ...m, entity: idOf(m.entity) })) ?? [
    ...(await scanMentions(tx, a.text, [a.id])),
    ...evidenceMentions(facts, idOf),
  ];
  const byEntity = new Map<string, Map<string, EvidenceItem>>();
  for (const s of spans) {
    let items = byEntity.get(s.entity);
    if (!items) {
      items = new Map();
      byEntity.set(s.entity, items);
    }
    items.set(`${s.start}:${s.end}`, {
      quote: s.quote,
      start: s.start,
      end: s.end,
      ...anchorsOf(a.text, s.start, s.end),
      status: 'stated',
      article: a.id,
    });
  }
  const mentionRows = [...byEntity].map(([entity, items]) => ({
    id: relationshipId(a.id, 'MENTIONS', entity, null),
    type: 'MENTIONS',
    from: a.id,
    to: entity,
    market: null,
    article: a.id,
    retraction: null,
    ...evidenceLists([...items.values()].sort((x, y) => x.start - y.start || x.end - y.end)),
  }));
  // Ends of facts retracted or thinned just now keep their mention: the article still quotes about them.
  const keep = [...byEntity.keys(), ...gone.flatMap((g) => g.ends)];
  await run(DROP_MENTIONS, { article: a.id, keep });
  await inChunks(WRITE_RELATIONSHIPS, mentionRows, (records) => {
    for (const rec of records) changedItems += rec.get('changed') as number;
  });

  const created = resolutions.filter((r) => r.by === 'new');
  const matched = resolutions.filter((r) => r.by !== 'new');
  const changed = changedItems > 0;
  const change = changed
    ? await recordChange(tx, who, {
        mutation: 'ingestArticle',
        touched: [
          a.id,
          ...resolutions.map((r) => r.id),
          ...rows.map((r) => r.id),
          ...retracted,
          ...unsupported,
        ],
        counts: {
          created: created.length,
          matched: matched.length,
          facts: rows.length,
          retracted: retracted.length,
          unsupported: unsupported.length,
          mentions: mentionRows.length,
        },
      })
    : null;
  return {
    article: a.id,
    entities: facts.entities.length,
    relationships: facts.relationships.length,
    evidence: facts.relationships.reduce((n, r) => n + r.evidence.length, 0),
    mentions: mentionRows.length,
    created,
    matched,
    retracted,
    unsupported,
    stillRetracted,
    changed,
    nodesCreated,
    relationshipsCreated,
    change,
  };
}

/** What ingesting a document of entities alone did: no article, facts or mentions. */
export interface EntitiesReport extends Omit<IngestReport, 'article'> {
  article: null;
}

/**
 * Ingests a document of entities alone in the caller's transaction: each entity resolved and written as an
 * article's document's entities are (by id; what an existing one lacks is added), a Change recorded when
 * anything changed.
 */
export async function ingestEntities(tx: Tx, doc: EntitiesDocument, who: Who): Promise<EntitiesReport> {
  assertModelTokens(doc.entities, []);
  const { resolutions, sets, keysCreated } = await resolveEntities(tx, doc.entities);
  const rows = doc.entities.map((e, i) => ({
    id: resolutions[i]?.id,
    kind: e.kind,
    set: sets[i] ?? {},
    keys: e.keys,
    mergedIds: e.mergedIds,
  }));
  let nodesCreated = keysCreated;
  let relationshipsCreated = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const c = (await tx.run(WRITE_NODES, { rows: rows.slice(i, i + CHUNK) })).summary.counters.updates();
    nodesCreated += c.nodesCreated;
    relationshipsCreated += c.relationshipsCreated;
  }
  const created = resolutions.filter((r) => r.by === 'new');
  const matched = resolutions.filter((r) => r.by !== 'new');
  const changed = nodesCreated + relationshipsCreated > 0 || rows.some((r) => Object.keys(r.set).length > 0);
  const change = changed
    ? await recordChange(tx, who, {
        mutation: 'ingestEntities',
        touched: resolutions.map((r) => r.id),
        counts: { created: created.length, matched: matched.length },
      })
    : null;
  return {
    article: null,
    entities: doc.entities.length,
    relationships: 0,
    evidence: 0,
    mentions: 0,
    created,
    matched,
    retracted: [],
    unsupported: [],
    stillRetracted: [],
    changed,
    nodesCreated,
    relationshipsCreated,
    change,
  };
}

export interface UpsertReport {
  resolution: Resolution;
  changed: boolean;
  change: ChangeRecord | null;
}

/**
 * What an entity named by its id becomes when upserted: the given name, Vietnamese name, description and
 * properties replace its own; a replaced name or Vietnamese name stays as an alias, and aliases are only added.
 */
export function replacementsFor(existing: Record<string, unknown>, e: FactEntity): Record<string, unknown> {
  const set = additionsTo(existing, { ...e, name: '', nameVi: null });
  const aliases = [...((set.aliases ?? existing.aliases ?? []) as string[])];
  const spelled = new Set([e.name, e.nameVi, ...aliases].filter((s): s is string => !!s).map(foldName));
  for (const old of [existing.name, existing.nameVi]) {
    if (typeof old === 'string' && !spelled.has(foldName(old))) {
      aliases.push(old);
      spelled.add(foldName(old));
    }
  }
  // A spelling that becomes the name or the Vietnamese name is no longer also an alias.
  const names = new Set([e.name, e.nameVi].filter((s): s is string => !!s).map(foldName));
  set.aliases = aliases.filter((a) => !names.has(foldName(a)));
  set.name = e.name;
  set.sortName = foldName(e.name);
  if (e.nameVi !== null) set.nameVi = e.nameVi;
  if (e.description !== null) set.description = e.description;
  Object.assign(set, e.properties);
  return Object.fromEntries(
    Object.entries(set).filter(([k, v]) => JSON.stringify(existing[k] ?? null) !== JSON.stringify(v ?? null)),
  );
}

/**
 * Creates or updates one entity. Named by id, it is that entity (created when new) and takes the given values;
 * named by its spellings only, a folded match of its kind gains the spellings and properties it lacks, no match
 * creates it, and a spelling of several entities is a ResolutionError. Records a Change when anything changed.
 */
export async function upsertEntity(tx: Tx, entity: FactEntity, who: Who): Promise<UpsertReport> {
  assertModelTokens([entity], []);
  const { resolutions, sets, keysCreated } = await resolveEntities(tx, [entity]);
  const resolution = resolutions[0] as Resolution;
  let set = sets[0] ?? {};
  if (resolution.by === 'id') {
    const found = await tx.run('MATCH (n:Entity {id: $id}) RETURN properties(n) AS props', {
      id: resolution.id,
    });
    set = replacementsFor(found.records[0]?.get('props') ?? {}, entity);
  }
  const result = await tx.run(WRITE_NODES, {
    rows: [{ id: resolution.id, kind: entity.kind, set, keys: entity.keys, mergedIds: [] }],
  });
  const c = result.summary.counters.updates();
  const changed = Object.keys(set).length > 0 || keysCreated + c.nodesCreated + c.relationshipsCreated > 0;
  const change = changed
    ? await recordChange(tx, who, {
        mutation: 'upsertEntity',
        touched: [resolution.id],
        counts: { created: resolution.by === 'new' ? 1 : 0, properties: Object.keys(set).length },
      })
    : null;
  return { resolution, changed, change };
}

export async function countGraph(tx: Runner): Promise<{ nodes: number; relationships: number }> {
  const r = await tx.run(
    // API keys and the write log live in the same database but are not the graph: a database holding only
    // them is empty.
    `CALL () { MATCH (n) WHERE NOT n:ApiKey AND NOT n:Change RETURN count(n) AS nodes }
     CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
     RETURN nodes, relationships`,
  );
  const rec = r.records[0];
  return { nodes: rec?.get('nodes') ?? 0, relationships: rec?.get('relationships') ?? 0 };
}
