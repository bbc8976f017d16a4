import { int } from 'neo4j-driver';
import {
  type EntityKind,
  type EvidenceStatus,
  type FactStatus,
  linkStatuses,
  type RelationshipType,
} from './model.js';
import { foldName } from './names.js';
import {
  type EntityRecord,
  type EvidenceRecord,
  RETRACTION_PROPERTIES,
  type RelationRecord,
  retractionOf,
  WITHDRAWAL_PROPERTIES,
} from './records.js';

/**
 * Projections: what a request reads of each entity and relationship, decided before the statement runs, so
 * one statement returns exactly the properties and nested relationship pages the question asks for and no
 * more (a name-only answer never reads quotes). The schema layer derives plans from a GraphQL selection;
 * this module turns them into Cypher map projections with COUNT/COLLECT subqueries, and the rows back into
 * records. Property names come from a closed list and relationship types from the model; every value is a
 * parameter.
 */

/** Node properties a plan may read: the fields of the API's entity types, never names from input. */
export const ENTITY_PROPERTIES = [
  'name',
  'nameVi',
  'aliases',
  'description',
  'sortName',
  'category',
  'priceUpToUsd',
  'features',
  'countryCode',
  'role',
  'language',
  'launched',
  'officeType',
  'summary',
  'title',
  'url',
  'publishedAt',
  'publisher',
  'text',
  ...WITHDRAWAL_PROPERTIES,
] as const;
export type EntityProperty = (typeof ENTITY_PROPERTIES)[number];

export type EvidenceField = 'quote' | 'start' | 'end' | 'status' | 'article' | 'prefix' | 'suffix';
const EVIDENCE_ARRAYS: Record<EvidenceField, string> = {
  quote: 'evidenceQuotes',
  start: 'evidenceStarts',
  end: 'evidenceEnds',
  status: 'evidenceStatuses',
  article: 'evidenceArticles',
  prefix: 'evidencePrefixes',
  suffix: 'evidenceSuffixes',
};
/** Arrays older data may lack: the number of quotes is never taken from them alone. */
const OPTIONAL_EVIDENCE: ReadonlySet<EvidenceField> = new Set(['prefix', 'suffix']);

/** A name from input, looked up by its folded spelling in the same statement as the question that uses it. */
export interface NameRef {
  term: string;
  kind: EntityKind | null;
}

export interface EntityPlan {
  /** Besides id and kind, which are always read. `all` reads every property (a selection the plan cannot see through). */
  props: ReadonlySet<EntityProperty> | 'all';
  relations: RelationPlan[];
}

export interface EdgePlan {
  evidence: ReadonlySet<EvidenceField>;
  /** The DISTRIBUTES market, projected in place. */
  market: EntityPlan | null;
  /** Whether to read who retracted the fact, when and why (only worth it where retracted facts are admitted). */
  retraction: boolean;
}

export interface RelationPlan {
  /** Where the page lands on the parent record (a GraphQL response key); never part of the query text. */
  key: string;
  /** The API field it answers, checked again by the resolver that takes the page. */
  field: string;
  type: RelationshipType;
  direction: 'out' | 'in';
  /** The statuses a relationship may have (acceptedStatuses): never empty-means-all, so retracted is explicit. */
  statuses: readonly FactStatus[];
  market: NameRef | null;
  brand: NameRef | null;
  offset: number;
  first: number;
  total: boolean;
  node: EntityPlan;
  edge: EdgePlan;
}

export const NO_EDGE: EdgePlan = { evidence: new Set(), market: null, retraction: false };
export const ID_ONLY: EntityPlan = { props: new Set(), relations: [] };

/** What a looked-up name can mean: the candidates, and whether the entity's own name (not an alias) is it. */
export interface NameCandidate {
  id: string;
  name: string;
  kind: EntityKind;
  byName: boolean;
}

export interface PlannedRelation {
  field: string;
  offset: number;
  totalCount: number | null;
  rows: { relation: RelationRecord; node: ProjectedEntity }[];
  /** Candidates for the market and brand names, for the resolver to report NOT_FOUND or AMBIGUOUS. */
  market: NameCandidate[] | null;
  brand: NameCandidate[] | null;
}

/** An entity as a projection returns it: the properties asked for, and the relationship pages planned for it. */
export interface ProjectedEntity extends EntityRecord {
  planned?: Map<string, PlannedRelation>;
}

/** Builds one statement: parameters by name, names to resolve up front, variables unique per nesting level. */
export class Statement {
  readonly params: Record<string, unknown> = {};
  private readonly names: NameRef[] = [];
  private readonly indexes = new Map<NameRef, number>();
  private readonly byKey = new Map<string, number>();
  /** The parameter holding each name's folded spelling, by name index. */
  private readonly keys: string[] = [];
  private counter = 0;
  private vars = 0;

  param(value: unknown): string {
    const name = `p${this.counter++}`;
    this.params[name] = value;
    return `$${name}`;
  }

  variable(prefix: string): string {
    return `${prefix}${this.vars++}`;
  }

  /**
   * A name to look up, and the variable that will hold the node it means (null when it means none or
   * several); the same spelling of the same kind is looked up once however often it is used.
   */
  name(ref: NameRef): { index: number; variable: string } {
    let index = this.indexes.get(ref);
    if (index === undefined) {
      const key = `${ref.kind ?? ''}|${foldName(ref.term)}`;
      index = this.byKey.get(key) ?? this.names.push(ref) - 1;
      this.byKey.set(key, index);
      this.indexes.set(ref, index);
    }
    return { index, variable: `nm${index}` };
  }

  /** The variables bound to names so far, for subqueries that must import them. */
  get nameVariables(): string[] {
    return this.names.map((_, i) => `nm${i}`);
  }

  /** The candidates of each name, from the `candidates` column of the statement's result. */
  candidates(column: unknown): (ref: NameRef) => NameCandidate[] {
    const all = (column ?? []) as NameCandidate[][];
    return (ref) => all[this.indexes.get(ref) ?? -1] ?? [];
  }

  /**
   * The opening of a statement that looks up every name it uses: one unique-index seek on NameKey per name,
   * the candidates per name (for errors), and one variable per name bound to the node when exactly one fits
   * (an entity whose own name matches wins over those with it only as an alias). Must be called after every
   * name() of the statement.
   */
  resolveNames(): string {
    if (this.names.length === 0) return '';
    const lines: string[] = [];
    const found: string[] = [];
    this.names.forEach((n, i) => {
      const key = this.param(foldName(n.term));
      const kind = n.kind ? ` WHERE e${i}.kind = ${this.param(n.kind)}` : '';
      lines.push(`OPTIONAL MATCH (:NameKey {key: ${key}})-[:NAMES]->(e${i}:Entity)${kind}`);
      lines.push(`WITH ${[...found, `collect(e${i}) AS f${i}`].join(', ')}`);
      found.push(`f${i}`);
      this.keys.push(key);
    });
    const named = this.keys.map((key, i) => `[e IN f${i} WHERE e.sortName = ${key}] AS b${i}`);
    const candidates = this.keys.map(
      (key, i) => `[e IN f${i} | e {.id, .name, .kind, byName: e.sortName = ${key}}]`,
    );
    const chosen = this.keys.map(
      (_, i) =>
        `CASE WHEN size(b${i}) = 1 THEN b${i}[0] WHEN size(b${i}) = 0 AND size(f${i}) = 1 THEN f${i}[0] END AS nm${i}`,
    );
    return `
      ${lines.join('\n      ')}
      WITH ${[...found, ...named].join(', ')}
      WITH [${candidates.join(', ')}] AS candidates, ${chosen.join(', ')}`;
  }

  /** `v {...}`: the properties a plan reads and its relationship pages, each page one COUNT and one COLLECT. */
  entity(v: string, plan: EntityPlan): string {
    const parts = plan.props === 'all' ? ['.*'] : ['.id', '.kind', ...[...plan.props].map((p) => `.${p}`)];
    plan.relations.forEach((rel, i) => {
      parts.push(`_rel${i}: ${this.relation(v, rel)}`);
    });
    return `${v} {${parts.join(', ')}}`;
  }

  /**
   * The properties of a relationship an edge plan needs: always id, status and market; evidence and the
   * retraction as asked. Prefixes and suffixes come with the quotes, which say how many items there are.
   */
  relationship(r: string, edge: EdgePlan): string {
    const fields = new Set(edge.evidence);
    if ([...fields].every((f) => OPTIONAL_EVIDENCE.has(f)) && fields.size > 0) fields.add('quote');
    const props = [
      'id',
      'status',
      'market',
      ...[...fields].map((f) => EVIDENCE_ARRAYS[f]),
      ...(edge.retraction ? RETRACTION_PROPERTIES : []),
    ];
    return `${r} {${props.map((p) => `.${p}`).join(', ')}}`;
  }

  /** `EXISTS {...}`: the brand manufactures the product `m`, by a MANUFACTURES the question admits. */
  manufacturedBy(m: string, brand: string, statuses: readonly FactStatus[]): string {
    const b = this.variable('mf');
    return `EXISTS { MATCH (${m})<-[${b}:MANUFACTURES]-(${brand}) WHERE ${b}.status IN ${this.param(linkStatuses(statuses))} }`;
  }

  private relation(v: string, rel: RelationPlan): string {
    const r = this.variable('r');
    const m = this.variable('m');
    // The type comes from the model's closed list, never from input.
    const pattern =
      rel.direction === 'out' ? `(${v})-[${r}:${rel.type}]->(${m})` : `(${v})<-[${r}:${rel.type}]-(${m})`;
    // Always a condition on the status: a retracted fact is left out unless the plan admits it.
    const where = [`${r}.status IN ${this.param(rel.statuses)}`];
    if (rel.market) where.push(`${r}.market = ${this.name(rel.market).variable}.id`);
    if (rel.brand) where.push(this.manufacturedBy(m, this.name(rel.brand).variable, rel.statuses));
    const filter = ` WHERE ${where.join(' AND ')}`;
    const marketPart = rel.edge.market ? `, market: ${this.marketOf(r, rel.edge.market)}` : '';
    const total = rel.total ? `COUNT { MATCH ${pattern}${filter} }` : 'null';
    const rows = `COLLECT {
        MATCH ${pattern}${filter}
        WITH ${r}, ${m} ORDER BY ${m}.sortName, ${m}.id SKIP ${this.param(int(rel.offset))} LIMIT ${this.param(int(rel.first))}
        RETURN {r: ${this.relationship(r, rel.edge)}, m: ${this.entity(m, rel.node)}${marketPart}}
      }`;
    return `{total: ${total}, rows: ${rows}}`;
  }

  private marketOf(r: string, plan: EntityPlan): string {
    const mk = this.variable('mk');
    return `head(COLLECT { MATCH (${mk}:Entity {id: ${r}.market}) RETURN ${this.entity(mk, plan)} })`;
  }
}

type Row = Record<string, unknown>;
export type Candidates = (ref: NameRef) => NameCandidate[];

/** A projected map back into a record; the pages planned for it land in `planned`, keyed as the plan says. */
export function toProjected(map: Row, plan: EntityPlan, candidates: Candidates): ProjectedEntity {
  const record: ProjectedEntity = {
    id: String(map.id),
    kind: map.kind as EntityKind,
    name: (map.name as string | undefined) ?? '',
    nameVi: (map.nameVi as string | undefined) ?? null,
    aliases: (map.aliases as string[] | undefined) ?? [],
    description: (map.description as string | undefined) ?? null,
    sortName: (map.sortName as string | undefined) ?? '',
    props: map,
  };
  if (plan.relations.length === 0) return record;
  const planned = new Map<string, PlannedRelation>();
  plan.relations.forEach((rel, i) => {
    const page = map[`_rel${i}`] as { total: number | null; rows: Row[] };
    planned.set(rel.key, {
      field: rel.field,
      offset: rel.offset,
      totalCount: page.total,
      rows: page.rows.map((row) => {
        const node = toProjected(row.m as Row, rel.node, candidates);
        const relation = toRelationRecord(
          row.r as Row,
          rel.type,
          rel.direction === 'out' ? record.id : node.id,
          rel.direction === 'out' ? node.id : record.id,
        );
        if (rel.edge.market && row.market) {
          relation.market = toProjected(row.market as Row, rel.edge.market, candidates);
        }
        return { relation, node };
      }),
      market: rel.market ? candidates(rel.market) : null,
      brand: rel.brand ? candidates(rel.brand) : null,
    });
  });
  record.planned = planned;
  return record;
}

/**
 * A projected entity as it is stored, when the plan read every property (`.*`); null when it read only some,
 * since a partial record must never stand in for the whole entity. Planned pages are left behind: they
 * answer the selection they were planned for, not another.
 */
export function wholeEntity(e: ProjectedEntity, plan: EntityPlan): EntityRecord | null {
  if (plan.props !== 'all') return null;
  const { planned: _planned, props, ...rest } = e;
  return { ...rest, props: Object.fromEntries(Object.entries(props).filter(([k]) => !k.startsWith('_rel'))) };
}

/** A projected relationship map into a record; evidence has as many items as the longest array read. */
export function toRelationRecord(p: Row, type: string, from: string, to: string): RelationRecord {
  const arrays = Object.fromEntries(
    Object.entries(EVIDENCE_ARRAYS).map(([f, prop]) => [f, (p[prop] as unknown[] | undefined) ?? []]),
  ) as Record<EvidenceField, unknown[]>;
  const count = Math.max(...Object.values(arrays).map((a) => a.length));
  const text = (v: unknown) => (v === undefined || v === null ? null : String(v));
  const evidence: EvidenceRecord[] = Array.from({ length: count }, (_, i) => ({
    quote: String(arrays.quote[i] ?? ''),
    start: Number(arrays.start[i] ?? 0),
    end: Number(arrays.end[i] ?? 0),
    status: (arrays.status[i] as EvidenceStatus | undefined) ?? 'stated',
    articleId: String(arrays.article[i] ?? ''),
    prefix: text(arrays.prefix[i]),
    suffix: text(arrays.suffix[i]),
  }));
  return {
    id: String(p.id),
    type,
    status: p.status as FactStatus,
    retraction: retractionOf(p),
    from,
    to,
    marketId: (p.market as string | undefined) ?? null,
    evidence,
  };
}
