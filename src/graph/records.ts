import type { Node, Relationship } from 'neo4j-driver';
import type { EntityKind, EvidenceStatus, FactStatus } from './model.js';

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
  /** Up to 32 characters of the article before and after the quote (W3C TextQuoteSelector); null in older data. */
  prefix: string | null;
  suffix: string | null;
}

/** Who took something back (a fact retracted, an article withdrawn), when and why. */
export interface RevocationRecord {
  /** ISO 8601, UTC. */
  at: string;
  /** The API key's id; null when done from the command line. */
  keyId: string | null;
  /** The key's name. */
  by: string | null;
  reason: string;
}

export interface RelationRecord {
  id: string;
  type: string;
  status: FactStatus;
  /** Set when status is 'retracted' (and the projection read it). */
  retraction: RevocationRecord | null;
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
  const prefixes = (p.evidencePrefixes as (string | null)[] | undefined) ?? [];
  const suffixes = (p.evidenceSuffixes as (string | null)[] | undefined) ?? [];
  return {
    id: String(p.id),
    type: rel.type,
    status: p.status as FactStatus,
    retraction: retractionOf(p),
    from,
    to,
    marketId: (p.market as string | undefined) ?? null,
    evidence: quotes.map((quote, i) => ({
      quote,
      start: Number(starts[i]),
      end: Number(ends[i]),
      status: statuses[i] ?? 'stated',
      articleId: articles[i] ?? '',
      prefix: prefixes[i] ?? null,
      suffix: suffixes[i] ?? null,
    })),
  };
}

/** The relationship properties that record a retraction, in the order a projection reads them. */
export const RETRACTION_PROPERTIES = [
  'retractedAt',
  'retractedBy',
  'retractedByName',
  'retractedReason',
] as const;

/** The node properties that record an article's withdrawal. */
export const WITHDRAWAL_PROPERTIES = [
  'withdrawnAt',
  'withdrawnBy',
  'withdrawnByName',
  'withdrawnReason',
] as const;

function revocationOf(
  p: Record<string, unknown>,
  [at, by, byName, reason]: readonly [string, string, string, string],
): RevocationRecord | null {
  const when = p[at];
  if (when === undefined || when === null) return null;
  const text = (v: unknown) => (v === undefined || v === null ? null : String(v));
  return { at: String(when), keyId: text(p[by]), by: text(p[byName]), reason: text(p[reason]) ?? '' };
}

/** A fact's retraction, from its relationship's properties; null when it stands (or was not read). */
export const retractionOf = (p: Record<string, unknown>) => revocationOf(p, RETRACTION_PROPERTIES);

/** An article's withdrawal, from its node's properties; null when it stands (or was not read). */
export const withdrawalOf = (p: Record<string, unknown>) => revocationOf(p, WITHDRAWAL_PROPERTIES);
