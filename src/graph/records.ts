import type { Node, Relationship } from 'neo4j-driver';
import type { EntityKind, EvidenceStatus } from './model.js';

/** An entity as the graph functions return it: the node's properties, plain values only. */
export interface EntityRecord {
  id: string;
  kind: EntityKind;
  name: string;
  nameVi: string | null;
  aliases: string[];
  description: string | null;
  /** Lower-case, diacritic-free name: the sort key of every list. */
  sortName: string;
  /** The kind-specific properties (category, priceUpToUsd, countryCode, text, ...). */
  props: Record<string, unknown>;
}

export interface EvidenceRecord {
  quote: string;
  start: number;
  end: number;
  status: EvidenceStatus;
  articleId: string;
}

export interface RelationRecord {
  id: string;
  type: string;
  status: EvidenceStatus;
  /** Ids of the entities at the start and end of the relationship. */
  from: string;
  to: string;
  marketId: string | null;
  /** The market entity, when a projection read it along with the relationship. */
  market?: EntityRecord | null;
  evidence: EvidenceRecord[];
}

export function toEntity(node: Node): EntityRecord {
  const p = node.properties as Record<string, unknown>;
  return {
    id: String(p.id),
    kind: p.kind as EntityKind,
    name: String(p.name),
    nameVi: (p.nameVi as string | undefined) ?? null,
    aliases: (p.aliases as string[] | undefined) ?? [],
    description: (p.description as string | undefined) ?? null,
    sortName: String(p.sortName ?? ''),
    props: p,
  };
}

export function toRelation(rel: Relationship, from: string, to: string): RelationRecord {
  const p = rel.properties as Record<string, unknown>;
  const quotes = (p.evidenceQuotes as string[] | undefined) ?? [];
  const starts = (p.evidenceStarts as number[] | undefined) ?? [];
  const ends = (p.evidenceEnds as number[] | undefined) ?? [];
  const statuses = (p.evidenceStatuses as EvidenceStatus[] | undefined) ?? [];
  const articles = (p.evidenceArticles as string[] | undefined) ?? [];
  return {
    id: String(p.id),
    type: rel.type,
    status: p.status as EvidenceStatus,
    from,
    to,
    marketId: (p.market as string | undefined) ?? null,
    evidence: quotes.map((quote, i) => ({
      quote,
      start: Number(starts[i]),
      end: Number(ends[i]),
      status: statuses[i] ?? 'stated',
      articleId: articles[i] ?? '',
    })),
  };
}
