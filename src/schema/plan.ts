import {
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  getArgumentValues,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import {
  acceptedStatuses,
  type EvidenceStatus,
  type FactStatus,
  RELATIONSHIPS,
  type RelationshipType,
} from '../graph/model.js';
import {
  type EdgePlan,
  ENTITY_PROPERTIES,
  type EntityPlan,
  type EntityProperty,
  type EvidenceField,
  type NameRef,
  type RelationPlan,
} from '../graph/projection.js';
import { WITHDRAWAL_PROPERTIES } from '../graph/records.js';
import { bounded, decodeCursor, isOffset, PAGE } from './paging.js';

/**
 * Looks ahead at a selection to plan what one statement must read: the entity properties asked for, and every
 * relationship field below with its arguments, as deep as the selection goes. What a plan cannot see through
 * (a field it does not know, arguments that are invalid or differ between merged fields) is left to the
 * field's own resolver, which then reads it the slow way and reports any error just as before.
 */

/** API fields and the node properties each reads; key, id and kind come with every projection. */
const PROPERTIES_OF: Record<string, readonly EntityProperty[]> = {
  __typename: [],
  id: [],
  key: [],
  kind: [],
  ...Object.fromEntries(ENTITY_PROPERTIES.map((p) => [p, [p]])),
  withdrawal: WITHDRAWAL_PROPERTIES,
};

const RELATION_FIELDS = new Map<string, { type: RelationshipType; direction: 'out' | 'in' }>(
  RELATIONSHIPS.flatMap((spec) => [
    [spec.outField, { type: spec.type, direction: 'out' as const }],
    [spec.inField, { type: spec.type, direction: 'in' as const }],
  ]),
);

const EVIDENCE_FIELDS: ReadonlySet<string> = new Set([
  'quote',
  'start',
  'end',
  'status',
  'article',
  'prefix',
  'suffix',
]);

const subSetsOf = (nodes: readonly FieldNode[]) => nodes.map((n) => n.selectionSet);

interface Collected {
  field: string;
  node: FieldNode;
  parent: GraphQLNamedType | undefined;
}

/** The fields of selection sets by response key, through fragments of any type (as graphql-js collects them). */
function collect(
  info: GraphQLResolveInfo,
  sets: readonly (SelectionSetNode | undefined)[],
  parent: GraphQLNamedType | undefined,
): Map<string, Collected[]> {
  const out = new Map<string, Collected[]>();
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, type: GraphQLNamedType | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) {
        const key = sel.alias?.value ?? sel.name.value;
        const list = out.get(key) ?? [];
        list.push({ field: sel.name.value, node: sel, parent: type });
        out.set(key, list);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk(sel.selectionSet, sel.typeCondition ? info.schema.getType(sel.typeCondition.name.value) : type);
      } else if (!visited.has(sel.name.value)) {
        visited.add(sel.name.value);
        const fragment = info.fragments[sel.name.value];
        if (fragment) walk(fragment.selectionSet, info.schema.getType(fragment.typeCondition.name.value));
      }
    }
  };
  for (const set of sets) walk(set, parent);
  return out;
}

/** The plan for the entities a field returns, from all the field nodes that select them. */
export function planEntity(
  info: GraphQLResolveInfo,
  nodes: readonly FieldNode[],
  typeName: string,
): EntityPlan {
  return planEntityOf(info, nodes, info.schema.getType(typeName) ?? undefined);
}

function planEntityOf(
  info: GraphQLResolveInfo,
  nodes: readonly FieldNode[],
  type: GraphQLNamedType | undefined,
): EntityPlan {
  const props = new Set<EntityProperty>();
  const relations: RelationPlan[] = [];
  let all = false;
  for (const [key, entries] of collect(info, subSetsOf(nodes), type)) {
    const fields = new Set(entries.map((e) => e.field));
    for (const field of fields) {
      const read = Object.hasOwn(PROPERTIES_OF, field) ? PROPERTIES_OF[field] : undefined;
      if (read) for (const p of read) props.add(p);
      else if (!RELATION_FIELDS.has(field)) all = true;
    }
    const [first] = entries;
    if (fields.size === 1 && first && RELATION_FIELDS.has(first.field)) {
      const rel = planRelation(info, key, entries);
      if (rel) relations.push(rel);
    }
  }
  return { props: all ? 'all' : props, relations };
}

/** The fields directly under these field nodes, by field name (aliases merged), through fragments. */
export function selectionOf(info: GraphQLResolveInfo, nodes: readonly FieldNode[]): Map<string, FieldNode[]> {
  const out = new Map<string, FieldNode[]>();
  for (const entries of collect(info, subSetsOf(nodes), undefined).values()) {
    for (const e of entries) out.set(e.field, [...(out.get(e.field) ?? []), e.node]);
  }
  return out;
}

/** Plans the entities selected by every field of the given name under these nodes (e.g. `nodes` of a Subgraph). */
export function planField(
  info: GraphQLResolveInfo,
  nodes: readonly FieldNode[],
  field: string,
  typeName: string,
): EntityPlan {
  return planEntity(info, selectionOf(info, nodes).get(field) ?? [], typeName);
}

/** Which evidence arrays the edges selected under these field nodes need (`evidence { ... }`). */
export function planEvidence(
  info: GraphQLResolveInfo,
  nodes: readonly FieldNode[],
): ReadonlySet<EvidenceField> {
  const fields = selectionOf(info, selectionOf(info, nodes).get('evidence') ?? []);
  return new Set([...fields.keys()].filter((f): f is EvidenceField => EVIDENCE_FIELDS.has(f)));
}

/**
 * Whether the edges selected under these field nodes need who retracted them (`retraction { ... }`): only
 * where the question admits retracted relationships, since no other edge has a retraction to show.
 */
export function planRetraction(
  info: GraphQLResolveInfo,
  nodes: readonly FieldNode[],
  statuses: readonly FactStatus[],
): boolean {
  return statuses.includes('retracted') && selectionOf(info, nodes).has('retraction');
}

function argumentsOf(info: GraphQLResolveInfo, entry: Collected): Record<string, unknown> | null {
  const parent = entry.parent;
  if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return null;
  const def: GraphQLField<unknown, unknown> | undefined = parent.getFields()[entry.field];
  if (!def) return null;
  try {
    return getArgumentValues(def, entry.node, info.variableValues);
  } catch {
    return null;
  }
}

function planRelation(
  info: GraphQLResolveInfo,
  key: string,
  entries: readonly Collected[],
): RelationPlan | null {
  const [first] = entries;
  const spec = first && RELATION_FIELDS.get(first.field);
  if (!first || !spec) return null;
  const args = argumentsOf(info, first);
  if (!args) return null;
  const serialized = JSON.stringify(args);
  if (entries.some((e) => JSON.stringify(argumentsOf(info, e)) !== serialized)) return null;
  let size: number;
  let offset = 0;
  try {
    // The bounds of the relationship field's own `first` (relations.ts).
    size = bounded(args.first as number | null | undefined, 'first', PAGE);
    if (typeof args.after === 'string') offset = decodeCursor(args.after, isOffset).o;
  } catch {
    return null;
  }
  const name = (value: unknown, kind: 'Market' | 'Company'): NameRef | null =>
    typeof value === 'string' && value !== '' ? { term: value, kind } : null;

  const connection = selectionOf(
    info,
    entries.map((e) => e.node),
  );
  const edges = connection.get('edges') ?? [];
  const edgeFields = selectionOf(info, edges);
  const market = edgeFields.get('market');
  const statuses = acceptedStatuses(
    args.status as EvidenceStatus[] | null | undefined,
    args.minStatus as EvidenceStatus | null | undefined,
    args.includeRetracted as boolean | null | undefined,
  );
  const edge: EdgePlan = {
    evidence: planEvidence(info, edges),
    market: market ? planEntity(info, market, 'Market') : null,
    retraction: planRetraction(info, edges, statuses),
  };
  return {
    key,
    field: first.field,
    type: spec.type,
    direction: spec.direction,
    statuses,
    market: name(args.market, 'Market'),
    brand: name(args.brand, 'Company'),
    offset,
    first: size,
    total: connection.has('totalCount') || connection.has('pageInfo'),
    node: planEntityOf(info, edgeFields.get('node') ?? [], neighbourType(first)),
    edge,
  };
}

/** The type of `edges.node` in the connection a relationship field returns. */
function neighbourType(entry: Collected): GraphQLNamedType | undefined {
  let type: GraphQLNamedType | undefined = entry.parent;
  for (const step of [entry.field, 'edges', 'node']) {
    if (!type || !(isObjectType(type) || isInterfaceType(type))) return undefined;
    const def = type.getFields()[step];
    type = def ? getNamedType(def.type) : undefined;
  }
  return type;
}
