import { int } from 'neo4j-driver';
import type { Runner } from '../neo4j/driver.js';
import type { EntityKind, FactStatus, RelationshipType } from './model.js';
import { foldName } from './names.js';
import {
  type EntityPlan,
  type EntityProperty,
  type NameCandidate,
  type NameRef,
  type ProjectedEntity,
  Statement,
  toProjected,
} from './projection.js';

/** How a list compares a property of its kind: as text ignoring case, or as a number. */
export type Comparison = 'text' | 'number';

/** What a list can be ordered by; each key reads a fixed expression of the node (ORDERS below), never input. */
export type OrderKey = 'name' | 'key' | 'price';

export interface ListSpec {
  /** The kind's own properties a list filters on (besides key, name and relationships), and how each compares. */
  readonly filters: readonly { readonly property: EntityProperty; readonly compare: Comparison }[];
  /** The keys a list can be ordered by, in either direction. */
  readonly orders: readonly OrderKey[];
}

/**
 * The kinds with lists, and what each list can be filtered and ordered by: the one declaration of it. The
 * compiler below accepts only these properties, compared only as declared; the GraphQL schema derives each
 * list's where and orderBy inputs from it. Each kind has its own sort-name index (schema/constraints.cypher).
 */
export const LISTS = {
  Company: { filters: [], orders: ['name', 'key'] },
  Product: {
    filters: [
      { property: 'category', compare: 'text' },
      { property: 'priceUpToUsd', compare: 'number' },
    ],
    orders: ['name', 'key', 'price'],
  },
  Market: { filters: [{ property: 'countryCode', compare: 'text' }], orders: ['name', 'key'] },
} as const satisfies Partial<Record<EntityKind, ListSpec>>;

export type ListKind = keyof typeof LISTS;
export const LIST_KINDS = Object.keys(LISTS) as ListKind[];
export type FilterProperty = (typeof LISTS)[ListKind]['filters'][number]['property'];

/** The declaration of one list, widened for callers that iterate it. */
export const listSpec = (kind: ListKind): ListSpec => LISTS[kind];

/** Names compare in their folded form: no case, no diacritics. */
export interface NameFilter {
  equals?: string | null;
  in?: string[] | null;
  contains?: string | null;
  startsWith?: string | null;
}

export interface KeyFilter {
  equals?: string | null;
  in?: string[] | null;
}

export interface NumberFilter {
  equals?: number | null;
  lt?: number | null;
  lte?: number | null;
  gt?: number | null;
  gte?: number | null;
}

export interface NeighbourFilter {
  key?: KeyFilter | null;
  name?: NameFilter | null;
  nameContains?: string | null;
}

export interface RelationFilter {
  type: RelationshipType;
  direction: 'out' | 'in';
  quantifier: 'some' | 'none';
  node?: NeighbourFilter | null;
  /** The statuses the relationship may have (acceptedStatuses); a retracted one only when listed. */
  statuses: readonly FactStatus[];
  /** Names, looked up in the statement that filters by them. */
  market?: NameRef | null;
  brand?: NameRef | null;
}

export interface EntityFilter {
  and?: EntityFilter[] | null;
  or?: EntityFilter[] | null;
  not?: EntityFilter | null;
  key?: KeyFilter | null;
  name?: NameFilter | null;
  /** Part of the name or of any alias. */
  nameContains?: string | null;
  /** Conditions on the kind's own properties, by how its list compares them (LISTS). */
  text?: Partial<Record<FilterProperty, NameFilter | null>>;
  number?: Partial<Record<FilterProperty, NumberFilter | null>>;
  related?: RelationFilter[] | null;
}

export interface Order {
  key: OrderKey;
  direction: 'asc' | 'desc';
}

export const DEFAULT_ORDER: Order = { key: 'name', direction: 'asc' };

/** What each order key sorts on, and whether a page can be read from the cursor on as a range (an index seek). */
const ORDERS: Record<OrderKey, { expression: (n: string) => string; seek: boolean }> = {
  name: { expression: (n) => `${n}.sortName`, seek: true },
  key: { expression: (n) => `${n}.id`, seek: true },
  // Entities without a price sort first ascending, last descending.
  price: { expression: (n) => `coalesce(toFloat(${n}.priceUpToUsd), -1.0)`, seek: false },
};

/** Builds a WHERE predicate; every value becomes a parameter, every name in the text comes from a fixed set. */
class Compiler {
  private vars = 0;

  constructor(
    private readonly s: Statement,
    private readonly kind: ListKind,
  ) {}

  private param(value: unknown): string {
    return this.s.param(value);
  }

  private names(expr: string, f: NameFilter, fold: (s: string) => string): string[] {
    const out: string[] = [];
    if (f.equals != null) out.push(`${expr} = ${this.param(fold(f.equals))}`);
    if (f.in != null) out.push(`${expr} IN ${this.param(f.in.map(fold))}`);
    if (f.contains != null) out.push(`${expr} CONTAINS ${this.param(fold(f.contains))}`);
    if (f.startsWith != null) out.push(`${expr} STARTS WITH ${this.param(fold(f.startsWith))}`);
    return out;
  }

  private numbers(expr: string, f: NumberFilter): string[] {
    const out: string[] = [];
    if (f.equals != null) out.push(`${expr} = ${this.param(f.equals)}`);
    if (f.lt != null) out.push(`${expr} < ${this.param(f.lt)}`);
    if (f.lte != null) out.push(`${expr} <= ${this.param(f.lte)}`);
    if (f.gt != null) out.push(`${expr} > ${this.param(f.gt)}`);
    if (f.gte != null) out.push(`${expr} >= ${this.param(f.gte)}`);
    return out;
  }

  private keys(n: string, f: KeyFilter): string[] {
    const out: string[] = [];
    if (f.equals != null) out.push(`${n}.id = ${this.param(f.equals)}`);
    if (f.in != null) out.push(`${n}.id IN ${this.param(f.in)}`);
    return out;
  }

  private nameOrAlias(n: string, text: string): string {
    const p = this.param(foldName(text));
    return `(${n}.sortName CONTAINS ${p} OR EXISTS { MATCH (k:NameKey)-[:NAMES]->(${n}) WHERE k.key CONTAINS ${p} })`;
  }

  neighbour(m: string, f: NeighbourFilter): string[] {
    const out: string[] = [];
    if (f.key) out.push(...this.keys(m, f.key));
    if (f.name) out.push(...this.names(`${m}.sortName`, f.name, foldName));
    if (f.nameContains != null) out.push(this.nameOrAlias(m, f.nameContains));
    return out;
  }

  private relation(n: string, f: RelationFilter): string {
    const depth = this.vars++;
    const r = `fr${depth}`;
    const m = `fm${depth}`;
    // The type comes from the model's closed list (checked by the caller's enum), never from free text.
    const pattern =
      f.direction === 'out'
        ? `(${n})-[${r}:${f.type}]->(${m}:Entity)`
        : `(${n})<-[${r}:${f.type}]-(${m}:Entity)`;
    const where = [`${r}.status IN ${this.param(f.statuses)}`];
    if (f.market) where.push(`${r}.market = ${this.s.name(f.market).variable}.id`);
    if (f.brand) where.push(this.s.manufacturedBy(m, this.s.name(f.brand).variable, f.statuses));
    if (f.node) where.push(...this.neighbour(m, f.node));
    const exists = `EXISTS { MATCH ${pattern} WHERE ${where.join(' AND ')} }`;
    return f.quantifier === 'some' ? exists : `NOT ${exists}`;
  }

  entity(n: string, f: EntityFilter): string {
    const out: string[] = [];
    if (f.key) out.push(...this.keys(n, f.key));
    if (f.name) out.push(...this.names(`${n}.sortName`, f.name, foldName));
    if (f.nameContains != null) out.push(this.nameOrAlias(n, f.nameContains));
    // Property names come from the list's declaration, not from the filter: anything else in it is ignored.
    for (const { property, compare } of LISTS[this.kind].filters) {
      if (compare === 'text') {
        const filter = f.text?.[property];
        if (filter) out.push(...this.names(`toLower(${n}.${property})`, filter, (s) => s.toLowerCase()));
      } else {
        const filter = f.number?.[property];
        if (filter) out.push(...this.numbers(`${n}.${property}`, filter));
      }
    }
    for (const rel of f.related ?? []) out.push(this.relation(n, rel));
    for (const sub of f.and ?? []) out.push(this.entity(n, sub));
    if (f.or && f.or.length > 0) out.push(`(${f.or.map((sub) => this.entity(n, sub)).join(' OR ')})`);
    if (f.not) out.push(`NOT (${this.entity(n, f.not)})`);
    return out.length > 0 ? `(${out.join(' AND ')})` : 'true';
  }
}

export interface ListOptions {
  kind: ListKind;
  filter?: EntityFilter | null;
  order?: Order;
  first: number;
  /** Keyset cursor: the sort value and id of the last item already seen, in the same order. */
  after?: { value: string | number; id: string } | null;
  /** Whether the total is asked for; without a filter it comes from the count store. */
  total: boolean;
}

export interface ListPage {
  totalCount: number;
  items: { entity: ProjectedEntity; sortValue: string | number }[];
  hasNextPage: boolean;
  /** Each name the filter holds, with what it can mean, for the caller to report one that fails. */
  names: { ref: NameRef; candidates: NameCandidate[] }[];
}

/** Names of the filter, in the order the filter holds them (the order errors are reported in). */
function namesOf(f: EntityFilter | null | undefined, out: NameRef[] = []): NameRef[] {
  if (!f) return out;
  for (const rel of f.related ?? []) {
    if (rel.market) out.push(rel.market);
    if (rel.brand) out.push(rel.brand);
  }
  for (const sub of f.and ?? []) namesOf(sub, out);
  for (const sub of f.or ?? []) namesOf(sub, out);
  namesOf(f.not, out);
  return out;
}

/**
 * A page of entities of one kind, filtered and ordered, with the total: one statement, names of the filter
 * looked up in it. Keyset pagination on (sort value, id), so every item is seen exactly once however deep
 * the page; ordered by name or key, the page is read in index order (a range seek from the cursor), not sorted.
 */
export async function listEntities(tx: Runner, o: ListOptions, plan: EntityPlan): Promise<ListPage> {
  const order = o.order ?? DEFAULT_ORDER;
  if (!listSpec(o.kind).orders.includes(order.key)) {
    throw new Error(`a ${o.kind} list has no order ${order.key}`);
  }
  const s = new Statement();
  const c = new Compiler(s, o.kind);
  const where = c.entity('n', o.filter ?? {});
  const sortExpr = ORDERS[order.key].expression('n');
  const cmp = order.direction === 'asc' ? '>' : '<';
  const dir = order.direction === 'asc' ? 'ASC' : 'DESC';
  // Written as a range on the sort key plus a tie-break, so the planner can seek the index from the cursor.
  const seek = !ORDERS[order.key].seek
    ? 'true'
    : o.after
      ? `${sortExpr} ${cmp}= ${s.param(o.after.value)}`
      : `${sortExpr} IS NOT NULL`;
  const after = o.after
    ? `AND (${sortExpr} ${cmp} ${s.param(o.after.value)} OR (${sortExpr} = ${s.param(o.after.value)} AND n.id ${cmp} ${s.param(o.after.id)}))`
    : '';
  const projection = s.entity('n', plan);
  const names = namesOf(o.filter);
  for (const ref of names) s.name(ref);
  const label = o.kind;
  const imports = s.nameVariables.join(', ');
  const total = !o.total
    ? 'RETURN null AS total'
    : where === 'true'
      ? `MATCH (n:${label}) RETURN count(n) AS total`
      : `MATCH (n:${label}) WHERE ${where} RETURN count(n) AS total`;
  const r = await tx.run(
    `${s.resolveNames()}
     CALL (${imports}) { ${total} }
     CALL (${imports}) {
       MATCH (n:${label}) WHERE ${seek} AND ${where} ${after}
       WITH n, ${sortExpr} AS sortValue ORDER BY sortValue ${dir}, n.id ${dir} LIMIT ${s.param(int(o.first + 1))}
       RETURN collect({n: ${projection}, v: sortValue}) AS rows
     }
     RETURN ${names.length > 0 ? 'candidates' : '[]'} AS candidates, total, rows`,
    s.params,
  );
  const rec = r.records[0];
  const candidates = s.candidates(rec?.get('candidates'));
  const rows = (rec?.get('rows') ?? []) as { n: Record<string, unknown>; v: string | number }[];
  return {
    totalCount: rec?.get('total') ?? 0,
    items: rows
      .slice(0, o.first)
      .map((row) => ({ entity: toProjected(row.n, plan, candidates), sortValue: row.v })),
    hasNextPage: rows.length > o.first,
    names: names.map((ref) => ({ ref, candidates: candidates(ref) })),
  };
}
