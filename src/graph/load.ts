import type { Record as Neo4jRecord } from 'neo4j-driver';
import type { Tx } from '../neo4j/driver.js';
import { type EntityKind, type EvidenceStatus, FACT_KINDS, FACT_RELATIONSHIP_TYPES } from './model.js';
import { foldName } from './names.js';

export interface EvidenceItem {
  quote: string;
  start: number;
  end: number;
  status: EvidenceStatus;
  article: string;
}

export interface FactEntity {
  id: string;
  kind: Exclude<EntityKind, 'Article'>;
  name: string;
  nameVi: string | null;
  aliases: string[];
  description: string | null;
  properties: Record<string, string | number | string[]>;
  /** Folded name, Vietnamese name and aliases: the spellings a lookup accepts. */
  keys: string[];
}

export interface FactRelationship {
  /** Stable across reloads: from|TYPE|to[|market]. */
  id: string;
  type: string;
  from: string;
  to: string;
  market: string | null;
  evidence: EvidenceItem[];
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
    keys: string[];
  };
  entities: FactEntity[];
  relationships: FactRelationship[];
}

export interface LoadReport {
  entities: number;
  relationships: number;
  /** Evidence items on the facts file's relationships. */
  evidence: number;
  mentions: number;
  nodesCreated: number;
  relationshipsCreated: number;
  propertiesChanged: number;
}

export class KindConflictError extends Error {
  override name = 'KindConflictError';
  constructor(readonly conflicts: { id: string; existing: string; incoming: string }[]) {
    super(
      conflicts
        .map((c) => `"${c.id}" is already in the graph as a ${c.existing}, not a ${c.incoming}`)
        .join('; '),
    );
  }
}

/** Rows per statement: a file of thousands of entities is written in a few statements of bounded size. */
const CHUNK = 5_000;

// One statement for every kind: the label is a parameter, one of the model's kinds (see assertModelTokens),
// never text spliced into the query. It answers the rows whose id the graph already holds as another kind:
// the caller then throws, and the transaction takes back what the statement wrote. Stale spellings are
// unlinked, and their NameKey dropped once it names nothing; unit subqueries keep one row per entity without
// grouping on the (large) row.
const WRITE_NODES = `
  UNWIND $rows AS row
  MERGE (n:Entity {id: row.id})
  WITH n, row, n.kind AS existing
  SET n:$(row.kind), n += row.props
  WITH n, row, existing
  CALL (n, row) {
    MATCH (old:NameKey)-[x:NAMES]->(n) WHERE NOT old.key IN row.keys
    DELETE x
    WITH old WHERE NOT EXISTS { (old)-[:NAMES]->() }
    DELETE old
  }
  CALL (n, row) {
    UNWIND row.keys AS key
    MERGE (k:NameKey {key: key})
    MERGE (k)-[:NAMES]->(n)
  }
  WITH row, existing WHERE existing <> row.kind
  RETURN row.id AS id, existing, row.kind AS incoming`;

// Evidence lives on the relationship as parallel lists, one slot per item; reloading an article replaces its
// own items and keeps those of other articles, so loads of several articles add up instead of overwriting.
// The type is a parameter too, one of the model's types (see assertModelTokens).
const WRITE_RELATIONSHIPS = `
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:$(row.type) {id: row.id}]->(b)
  SET r.market = row.market
  WITH r, row, coalesce(r.evidenceArticles, []) AS arts, r.evidenceQuotes AS q, r.evidenceStarts AS s,
    r.evidenceEnds AS e, r.evidenceStatuses AS st
  WITH r, row, arts, q, s, e, st, [i IN range(0, size(arts) - 1) WHERE arts[i] <> row.article] AS keep
  WITH r, row,
    [i IN keep | q[i]] + row.quotes AS quotes,
    [i IN keep | s[i]] + row.starts AS starts,
    [i IN keep | e[i]] + row.ends AS ends,
    [i IN keep | st[i]] + row.statuses AS statuses,
    [i IN keep | arts[i]] + row.articles AS articles
  SET r.evidenceQuotes = quotes, r.evidenceStarts = starts, r.evidenceEnds = ends,
      r.evidenceStatuses = statuses, r.evidenceArticles = articles,
      r.status = CASE
        WHEN 'confirmed' IN statuses THEN 'confirmed'
        WHEN 'stated' IN statuses THEN 'stated'
        WHEN 'reported' IN statuses THEN 'reported'
        ELSE 'speculated' END`;

function mentionsOf(facts: Facts): Omit<FactRelationship, 'type'>[] {
  const byEntity = new Map<string, Map<string, EvidenceItem>>();
  for (const r of facts.relationships) {
    for (const end of [r.from, r.to]) {
      if (end === facts.article.id) continue;
      let items = byEntity.get(end);
      if (!items) {
        items = new Map<string, EvidenceItem>();
        byEntity.set(end, items);
      }
      for (const e of r.evidence) items.set(`${e.start}:${e.end}`, { ...e, status: 'stated' });
    }
  }
  return [...byEntity].map(([entity, items]) => ({
    id: `${facts.article.id}|MENTIONS|${entity}`,
    from: facts.article.id,
    to: entity,
    market: null,
    evidence: [...items.values()].sort((a, b) => a.start - b.start),
  }));
}

/**
 * Labels and types reach Cypher as dynamic tokens, so they are held to the model's lists here as well as in
 * readFacts: a facts file built in code cannot invent one.
 */
function assertModelTokens(facts: Facts): void {
  const kinds = new Set<string>(FACT_KINDS);
  const types = new Set<string>(FACT_RELATIONSHIP_TYPES);
  for (const e of facts.entities) {
    if (!kinds.has(e.kind)) throw new Error(`"${e.id}" has a kind the model does not know: ${e.kind}`);
  }
  for (const r of facts.relationships) {
    if (!types.has(r.type)) throw new Error(`"${r.id}" has a type the model does not know: ${r.type}`);
  }
}

function relationshipRow(type: string, r: Omit<FactRelationship, 'type'>, article: string) {
  return {
    id: r.id,
    type,
    from: r.from,
    to: r.to,
    market: r.market,
    article,
    quotes: r.evidence.map((e) => e.quote),
    starts: r.evidence.map((e) => e.start),
    ends: r.evidence.map((e) => e.end),
    statuses: r.evidence.map((e) => e.status),
    articles: r.evidence.map((e) => e.article),
  };
}

/**
 * Writes a validated facts in the caller's transaction: MERGE on ids throughout, so a rerun of the same
 * facts creates nothing, and any failure rolls the whole load back with the transaction. Two statements,
 * nodes (reporting kind clashes) and relationships, each repeated per chunk of rows.
 */
export async function writeFacts(tx: Tx, facts: Facts): Promise<LoadReport> {
  assertModelTokens(facts);
  const report: LoadReport = {
    entities: facts.entities.length,
    relationships: facts.relationships.length,
    evidence: facts.relationships.reduce((n, r) => n + r.evidence.length, 0),
    mentions: 0,
    nodesCreated: 0,
    relationshipsCreated: 0,
    propertiesChanged: 0,
  };
  const inChunks = async <T>(cypher: string, rows: T[], each?: (records: Neo4jRecord[]) => void) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const result = await tx.run(cypher, { rows: rows.slice(i, i + CHUNK) });
      const c = result.summary.counters.updates();
      report.nodesCreated += c.nodesCreated;
      report.relationshipsCreated += c.relationshipsCreated;
      report.propertiesChanged += c.propertiesSet;
      each?.(result.records);
    }
  };

  const a = facts.article;
  const nodes = [
    {
      id: a.id,
      kind: 'Article',
      keys: a.keys,
      props: {
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
      },
    },
    ...facts.entities.map((e) => ({
      id: e.id,
      kind: e.kind,
      keys: e.keys,
      props: {
        kind: e.kind,
        name: e.name,
        nameVi: e.nameVi,
        aliases: e.aliases,
        description: e.description,
        sortName: foldName(e.name),
        ...e.properties,
      },
    })),
  ];

  const conflicts: KindConflictError['conflicts'] = [];
  await inChunks(WRITE_NODES, nodes, (records) => {
    for (const r of records) {
      conflicts.push({ id: r.get('id'), existing: r.get('existing'), incoming: r.get('incoming') });
    }
  });
  if (conflicts.length > 0) throw new KindConflictError(conflicts);

  const mentions = mentionsOf(facts);
  report.mentions = mentions.length;
  await inChunks(WRITE_RELATIONSHIPS, [
    ...facts.relationships.map((r) => relationshipRow(r.type, r, a.id)),
    ...mentions.map((m) => relationshipRow('MENTIONS', m, a.id)),
  ]);
  return report;
}

export async function countGraph(tx: Tx): Promise<{ nodes: number; relationships: number }> {
  const r = await tx.run(
    // API keys live in the same database but are not part of the graph: a database holding only keys is empty.
    `CALL () { MATCH (n) WHERE NOT n:ApiKey RETURN count(n) AS nodes }
     CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
     RETURN nodes, relationships`,
  );
  const rec = r.records[0];
  return { nodes: rec?.get('nodes') ?? 0, relationships: rec?.get('relationships') ?? 0 };
}
