/**
 * The yardstick for the project's ingest: the same facts files written by a bare script through neo4j-driver,
 * with no validation beyond JSON parsing, no entity resolution (ids only), no kind-clash check, no retraction of
 * facts an article no longer states, no merging of evidence with other articles (it sets each fact's evidence
 * outright, which is right for corpora where every fact is stated by one article, as generated ones are), no
 * quote prefixes and suffixes, no Change, and no scan of the text for mentions: an article MENTIONS the ends of
 * its facts, at their quotes. It leaves the same nodes as the ingest, and the same relationships but for the
 * MENTIONS the ingest finds by scanning the text: more quotes on them, and a few more of them (an article that
 * names an entity in passing, a market in a sentence about a product).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EVIDENCE_STATUSES } from '../src/graph/model.js';
import { foldName } from '../src/graph/names.js';
import type { Db, Tx } from '../src/neo4j/driver.js';
import { type LoadProgress, type LoadResult, loadFiles } from './corpus.js';

const CHUNK = 5_000;

interface Evidence {
  quote: string;
  start: number;
  end: number;
  status: string;
}

interface RawFacts {
  article: {
    id: string;
    title: string;
    titleVi?: string;
    language: string;
    file: string;
    url?: string;
    publishedAt?: string;
  };
  entities: {
    id: string;
    kind: string;
    name: string;
    nameVi?: string;
    aliases?: string[];
    description?: string;
    properties?: Record<string, unknown>;
  }[];
  relationships: { type: string; from: string; to: string; market?: string; evidence: Evidence[] }[];
}

const keysOf = (names: (string | undefined)[]) => [
  ...new Set(names.filter((n): n is string => !!n).map(foldName)),
];

function strongest(statuses: string[]): string {
  return EVIDENCE_STATUSES.find((s) => statuses.includes(s)) ?? 'speculated';
}

function relationshipRow(
  id: string,
  type: string,
  from: string,
  to: string,
  market: string | null,
  evidence: Evidence[],
  article: string,
) {
  return {
    id,
    type,
    from,
    to,
    props: {
      market,
      evidenceQuotes: evidence.map((e) => e.quote),
      evidenceStarts: evidence.map((e) => e.start),
      evidenceEnds: evidence.map((e) => e.end),
      evidenceStatuses: evidence.map((e) => e.status),
      evidenceArticles: evidence.map(() => article),
      status: strongest(evidence.map((e) => e.status)),
    },
  };
}

function rowsOf(file: string) {
  const facts = JSON.parse(readFileSync(file, 'utf8')) as RawFacts;
  const a = facts.article;
  const text = readFileSync(path.resolve(path.dirname(file), a.file), 'utf8');
  const nodes = [
    {
      id: a.id,
      kind: 'Article',
      keys: keysOf([a.title, a.titleVi]),
      props: {
        kind: 'Article',
        name: a.title,
        nameVi: a.titleVi ?? null,
        aliases: [],
        sortName: foldName(a.title),
        title: a.title,
        language: a.language,
        file: a.file,
        url: a.url ?? null,
        publishedAt: a.publishedAt ?? null,
        text,
      },
    },
    ...facts.entities.map((e) => ({
      id: e.id,
      kind: e.kind,
      keys: keysOf([e.name, e.nameVi, ...(e.aliases ?? [])]),
      props: {
        kind: e.kind,
        name: e.name,
        nameVi: e.nameVi ?? null,
        aliases: e.aliases ?? [],
        description: e.description ?? null,
        sortName: foldName(e.name),
        ...e.properties,
      },
    })),
  ];
  const names = nodes.flatMap((n) => n.keys.map((key) => ({ id: n.id, key })));

  const mentioned = new Map<string, Map<string, Evidence>>();
  const relationships = facts.relationships.map((r) => {
    for (const end of [r.from, r.to]) {
      if (end === a.id) continue;
      const items = mentioned.get(end) ?? new Map<string, Evidence>();
      for (const e of r.evidence) items.set(`${e.start}:${e.end}`, { ...e, status: 'stated' });
      mentioned.set(end, items);
    }
    const id = `${r.from}|${r.type}|${r.to}${r.market ? `|${r.market}` : ''}`;
    return relationshipRow(id, r.type, r.from, r.to, r.market ?? null, r.evidence, a.id);
  });
  for (const [entity, items] of mentioned) {
    const evidence = [...items.values()].sort((x, y) => x.start - y.start);
    relationships.push(
      relationshipRow(`${a.id}|MENTIONS|${entity}`, 'MENTIONS', a.id, entity, null, evidence, a.id),
    );
  }
  return { nodes, names, relationships, facts: facts.relationships.length, evidence: countEvidence(facts) };
}

const countEvidence = (facts: RawFacts) => facts.relationships.reduce((n, r) => n + r.evidence.length, 0);

async function inChunks<T>(tx: Tx, cypher: string, rows: T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await tx.run(cypher, { rows: rows.slice(i, i + CHUNK) });
}

/** Loads the seed's facts, then every file, one transaction per file, with plain UNWIND/MERGE statements. */
export function bareLoad(
  db: Db,
  files: string[],
  onProgress?: (p: LoadProgress) => void,
): Promise<LoadResult> {
  return loadFiles(
    files,
    async (file) => {
      const rows = rowsOf(file);
      await db.write(async (tx) => {
        await inChunks(
          tx,
          'UNWIND $rows AS row MERGE (n:Entity {id: row.id}) SET n:$(row.kind), n += row.props',
          rows.nodes,
        );
        await inChunks(
          tx,
          `UNWIND $rows AS row
         MATCH (n:Entity {id: row.id})
         MERGE (k:NameKey {key: row.key})
         MERGE (k)-[:NAMES]->(n)`,
          rows.names,
        );
        await inChunks(
          tx,
          `UNWIND $rows AS row
         MATCH (a:Entity {id: row.from})
         MATCH (b:Entity {id: row.to})
         MERGE (a)-[r:$(row.type) {id: row.id}]->(b)
         SET r += row.props`,
          rows.relationships,
        );
      }, 300_000);
      return { facts: rows.facts, evidence: rows.evidence };
    },
    onProgress,
  );
}
