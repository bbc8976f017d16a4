import { int } from 'neo4j-driver';
import type { Runner } from '../neo4j/driver.js';
import type { EvidenceStatus } from './model.js';

/*
 * The reads of an export (src/facts/export.ts builds the documents): articles a batch at a time, each with
 * its mentions and the facts that cite it, then the entities those touch, then the entities no article
 * touches, and the totals that prove nothing was left out.
 */

/** A node as stored: its labels and every property. */
export interface StoredNode {
  id: string;
  labels: string[];
  props: Record<string, unknown>;
}

/** One evidence item of a fact, as the article it belongs to states it. */
export interface StoredItem {
  quote: string;
  start: number;
  end: number;
  status: EvidenceStatus;
}

/** A fact as one article's document holds it: its own properties, and only that article's evidence items. */
export interface StoredFact {
  type: string;
  from: string;
  to: string;
  /** Every property name the relationship has, so a property the export cannot write is noticed. */
  keys: string[];
  id: string;
  market: string | null;
  status: string;
  retractedAt: string | null;
  retractedBy: string | null;
  retractedByName: string | null;
  retractedReason: string | null;
  items: StoredItem[];
}

/** An article's MENTIONS of one entity: its spans in the text. */
export interface StoredMention {
  entity: string;
  keys: string[];
  /** null when the link has no evidence lists (nothing ingest or a correction writes). */
  starts: number[] | null;
  ends: number[] | null;
}

export interface StoredArticle {
  article: StoredNode;
  mentions: StoredMention[];
  facts: StoredFact[];
}

/** Article ids in id order, a page at a time from after `after` ('' for the first page). */
export async function articleIds(tx: Runner, after: string, limit: number): Promise<string[]> {
  const r = await tx.run(
    `MATCH (a:Article) WHERE a.id > $after
     RETURN a.id AS id ORDER BY id LIMIT $limit`,
    { after, limit: int(limit) },
  );
  return r.records.map((rec) => rec.get('id') as string);
}

// The facts an article supports are found from its mentions: every fact's ends are mentioned by the articles
// its evidence cites (ingest, addFact and mergeEntities keep it so; ingest and withdrawArticle rely on it too).
// Only the article's own items are read, so a fact cited by many articles is not read whole for each.
// exportTotals checks, for a whole export, that this found every fact.
const ARTICLES = `
  UNWIND $ids AS id
  MATCH (a:Article {id: id})
  CALL (a) {
    MATCH (a)-[m:MENTIONS]->(e:Entity)
    RETURN collect({entity: e.id, keys: keys(m), starts: m.evidenceStarts, ends: m.evidenceEnds}) AS mentions
  }
  CALL (a) {
    MATCH (a)-[:MENTIONS]->(:Entity)-[r]->(:Entity)
    WHERE type(r) <> 'MENTIONS' AND a.id IN r.evidenceArticles
    WITH DISTINCT r
    WITH r, [i IN range(0, size(r.evidenceArticles) - 1) WHERE r.evidenceArticles[i] = a.id] AS mine
    RETURN collect(r {
      type: type(r), from: startNode(r).id, to: endNode(r).id, keys: keys(r),
      .id, .market, .status, .retractedAt, .retractedBy, .retractedByName, .retractedReason,
      items: [i IN mine | {quote: r.evidenceQuotes[i], start: r.evidenceStarts[i], end: r.evidenceEnds[i],
        status: r.evidenceStatuses[i]}]
    }) AS facts
  }
  RETURN a.id AS id, labels(a) AS labels, properties(a) AS props, mentions, facts
  ORDER BY id`;

/** The articles of the given ids (those that exist), in id order, each with its mentions and its facts. */
export async function readArticles(tx: Runner, ids: readonly string[]): Promise<StoredArticle[]> {
  const r = await tx.run(ARTICLES, { ids });
  return r.records.map((rec) => ({
    article: { id: rec.get('id'), labels: rec.get('labels'), props: rec.get('props') },
    mentions: rec.get('mentions') as StoredMention[],
    facts: (rec.get('facts') as StoredFact[]).map((f) => ({
      ...f,
      market: f.market ?? null,
      retractedAt: f.retractedAt ?? null,
      retractedBy: f.retractedBy ?? null,
      retractedByName: f.retractedByName ?? null,
      retractedReason: f.retractedReason ?? null,
    })),
  }));
}

/** Entities by id, with their labels and every property; ids that name none are left out. */
export async function readEntities(tx: Runner, ids: readonly string[]): Promise<StoredNode[]> {
  const r = await tx.run(
    `UNWIND $ids AS id
     MATCH (e:Entity {id: id})
     RETURN e.id AS id, labels(e) AS labels, properties(e) AS props
     ORDER BY id`,
    { ids },
  );
  return r.records.map((rec) => ({ id: rec.get('id'), labels: rec.get('labels'), props: rec.get('props') }));
}

/** Ids of entities other than articles, in id order, a page at a time from after `after` ('' for the first). */
export async function entityIds(tx: Runner, after: string, limit: number): Promise<string[]> {
  const r = await tx.run(
    `MATCH (e:Entity) WHERE e.id > $after AND NOT e:Article
     RETURN e.id AS id ORDER BY id LIMIT $limit`,
    { after, limit: int(limit) },
  );
  return r.records.map((rec) => rec.get('id') as string);
}

export interface GraphTotals {
  /** Relationships between entities other than MENTIONS, and their evidence items. */
  facts: number;
  factItems: number;
  /** MENTIONS links and their spans. */
  mentions: number;
  mentionSpans: number;
  /** Relationships without evidence: no document can hold them. */
  bare: number;
}

/** What a whole export must account for: one pass over the relationships between entities. */
export async function graphTotals(tx: Runner): Promise<GraphTotals> {
  const r = await tx.run(
    `MATCH (:Entity)-[r]->(:Entity)
     WITH type(r) = 'MENTIONS' AS mention, size(coalesce(r.evidenceQuotes, [])) AS items
     RETURN mention, count(*) AS n, sum(items) AS items, count(CASE WHEN items = 0 THEN 1 END) AS bare`,
  );
  const totals: GraphTotals = { facts: 0, factItems: 0, mentions: 0, mentionSpans: 0, bare: 0 };
  for (const rec of r.records) {
    totals.bare += rec.get('bare') as number;
    if (rec.get('mention')) {
      totals.mentions = rec.get('n');
      totals.mentionSpans = rec.get('items');
    } else {
      totals.facts = rec.get('n');
      totals.factItems = rec.get('items');
    }
  }
  return totals;
}

/** How big the graph is, from Neo4j's counts (no scan): entities, and relationships other than spellings and redirects. */
export async function graphSize(tx: Runner): Promise<{ entities: number; relationships: number }> {
  const r = await tx.run(
    `CALL () { MATCH (e:Entity) RETURN count(e) AS entities }
     CALL () { MATCH ()-[r]->() RETURN count(r) AS all }
     CALL () { MATCH ()-[r:NAMES]->() RETURN count(r) AS names }
     CALL () { MATCH ()-[r:REDIRECTS_TO]->() RETURN count(r) AS redirects }
     RETURN entities, all - names - redirects AS relationships`,
  );
  const rec = r.records[0];
  return { entities: rec?.get('entities') ?? 0, relationships: rec?.get('relationships') ?? 0 };
}

/**
 * The write log's position: how many Changes there are and the newest one's id. Every write that changes the
 * graph records one, so an export that sees the same position before and after read a graph no write touched.
 */
export async function changePosition(tx: Runner): Promise<string> {
  const r = await tx.run(
    `CALL () { MATCH (c:Change) RETURN count(c) AS n }
     CALL () { MATCH (c:Change) RETURN c.id AS latest ORDER BY c.id DESC LIMIT 1 }
     RETURN n, latest`,
  );
  const rec = r.records[0];
  return rec ? `${rec.get('n')}:${rec.get('latest')}` : '0:';
}
