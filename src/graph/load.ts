import type { Tx } from '../neo4j/driver.js';
import { DATASET_KINDS, type EntityKind, type EvidenceStatus, RELATIONSHIPS } from './model.js';
import { foldName } from './names.js';

export interface EvidenceItem {
  quote: string;
  start: number;
  end: number;
  status: EvidenceStatus;
  article: string;
}

export interface DatasetEntity {
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

export interface DatasetRelationship {
  /** Stable across reloads: from|TYPE|to[|market]. */
  id: string;
  type: string;
  from: string;
  to: string;
  market: string | null;
  evidence: EvidenceItem[];
}

export interface Dataset {
  article: {
    id: string;
    title: string;
    titleVi: string | null;
    language: string;
    file: string;
    url: string | null;
    publishedAt: string | null;
    text: string;
    keys: string[];
  };
  entities: DatasetEntity[];
  relationships: DatasetRelationship[];
}

export interface LoadReport {
  entities: number;
  relationships: number;
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

const SYNC_NAME_KEYS = `
  WITH n, row
  OPTIONAL MATCH (old:NameKey)-[x:NAMES]->(n) WHERE NOT old.key IN row.keys
  DELETE x
  WITH DISTINCT n, row, collect(old) AS stale
  FOREACH (k IN [s IN stale WHERE NOT (s)-[:NAMES]->()] | DELETE k)
  WITH n, row
  UNWIND row.keys AS key
  MERGE (k:NameKey {key: key})
  MERGE (k)-[:NAMES]->(n)`;

// Evidence lives on the relationship as parallel lists, one slot per item; reloading an article replaces its
// own items and keeps those of other articles, so loads of several articles add up instead of overwriting.
const MERGE_EVIDENCE = `
  WITH r, row, coalesce(r.evidenceArticles, []) AS arts
  WITH r, row, [i IN range(0, size(arts) - 1) WHERE arts[i] <> row.article] AS keep
  WITH r, row,
    [i IN keep | r.evidenceQuotes[i]] + [e IN row.evidence | e.quote] AS quotes,
    [i IN keep | r.evidenceStarts[i]] + [e IN row.evidence | e.start] AS starts,
    [i IN keep | r.evidenceEnds[i]] + [e IN row.evidence | e.end] AS ends,
    [i IN keep | r.evidenceStatuses[i]] + [e IN row.evidence | e.status] AS statuses,
    [i IN keep | r.evidenceArticles[i]] + [e IN row.evidence | e.article] AS articles
  SET r.evidenceQuotes = quotes, r.evidenceStarts = starts, r.evidenceEnds = ends,
      r.evidenceStatuses = statuses, r.evidenceArticles = articles,
      r.status = CASE
        WHEN 'confirmed' IN statuses THEN 'confirmed'
        WHEN 'stated' IN statuses THEN 'stated'
        WHEN 'reported' IN statuses THEN 'reported'
        ELSE 'speculated' END`;

function mentionsOf(dataset: Dataset) {
  const byEntity = new Map<string, Map<string, EvidenceItem>>();
  for (const r of dataset.relationships) {
    for (const end of [r.from, r.to]) {
      if (end === dataset.article.id) continue;
      const items = byEntity.get(end) ?? new Map<string, EvidenceItem>();
      for (const e of r.evidence) items.set(`${e.start}:${e.end}`, { ...e, status: 'stated' });
      byEntity.set(end, items);
    }
  }
  return [...byEntity].map(([entity, items]) => ({
    id: `${dataset.article.id}|MENTIONS|${entity}`,
    from: dataset.article.id,
    to: entity,
    market: null,
    article: dataset.article.id,
    evidence: [...items.values()].sort((a, b) => a.start - b.start),
  }));
}

/**
 * Writes a validated dataset in the caller's transaction: MERGE on ids throughout, so a rerun of the same
 * dataset creates nothing, and any failure rolls the whole load back with the transaction.
 */
export async function writeDataset(tx: Tx, dataset: Dataset): Promise<LoadReport> {
  const report: LoadReport = {
    entities: dataset.entities.length,
    relationships: dataset.relationships.length,
    mentions: 0,
    nodesCreated: 0,
    relationshipsCreated: 0,
    propertiesChanged: 0,
  };
  const run = async (cypher: string, params: Record<string, unknown>) => {
    const result = await tx.run(cypher, params);
    const c = result.summary.counters.updates();
    report.nodesCreated += c.nodesCreated;
    report.relationshipsCreated += c.relationshipsCreated;
    report.propertiesChanged += c.propertiesSet;
    return result;
  };

  const incoming = [
    { id: dataset.article.id, kind: 'Article' },
    ...dataset.entities.map((e) => ({ id: e.id, kind: e.kind })),
  ];
  const clash = await tx.run(
    `UNWIND $rows AS row
     MATCH (n:Entity {id: row.id}) WHERE n.kind <> row.kind
     RETURN row.id AS id, n.kind AS existing, row.kind AS incoming`,
    { rows: incoming },
  );
  if (clash.records.length > 0) {
    throw new KindConflictError(
      clash.records.map((r) => ({
        id: r.get('id'),
        existing: r.get('existing'),
        incoming: r.get('incoming'),
      })),
    );
  }

  const a = dataset.article;
  await run(
    `UNWIND [$row] AS row
     MERGE (n:Entity {id: row.id})
     SET n:Article, n += row.props
     ${SYNC_NAME_KEYS}`,
    {
      row: {
        id: a.id,
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
          text: a.text,
        },
      },
    },
  );

  for (const kind of DATASET_KINDS) {
    const rows = dataset.entities
      .filter((e) => e.kind === kind)
      .map((e) => ({
        id: e.id,
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
      }));
    if (rows.length === 0) continue;
    // The label comes from the model's fixed list of kinds, never from input.
    await run(
      `UNWIND $rows AS row
       MERGE (n:Entity {id: row.id})
       SET n:${kind}, n += row.props
       ${SYNC_NAME_KEYS}`,
      { rows },
    );
  }

  const mentions = mentionsOf(dataset);
  report.mentions = mentions.length;
  for (const spec of RELATIONSHIPS) {
    const rows =
      spec.type === 'MENTIONS'
        ? mentions
        : dataset.relationships.filter((r) => r.type === spec.type).map((r) => ({ ...r, article: a.id }));
    if (rows.length === 0) continue;
    await run(
      `UNWIND $rows AS row
       MATCH (a:Entity {id: row.from})
       MATCH (b:Entity {id: row.to})
       MERGE (a)-[r:${spec.type} {id: row.id}]->(b)
       SET r.market = row.market
       ${MERGE_EVIDENCE}`,
      { rows },
    );
  }
  return report;
}

export async function countGraph(tx: Tx): Promise<{ nodes: number; relationships: number }> {
  const r = await tx.run(
    `CALL () { MATCH (n) RETURN count(n) AS nodes }
     CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
     RETURN nodes, relationships`,
  );
  const rec = r.records[0];
  return { nodes: rec?.get('nodes') ?? 0, relationships: rec?.get('relationships') ?? 0 };
}
