import type { Context } from '../context.js';
import type { RelationPage } from '../graph/entities.js';
import {
  acceptedStatuses,
  ENTITY_KINDS,
  type EntityKind,
  type EvidenceStatus,
  RELATIONSHIPS,
  type RelationshipSpec,
} from '../graph/model.js';
import type { ProjectedEntity } from '../graph/projection.js';
import type { EntityRecord, RelationRecord } from '../graph/records.js';
import { builder } from './builder.js';
import { sizedBy } from './cost.js';
import {
  EntityRef,
  EntityTypes,
  EvidenceRef,
  EvidenceStatusEnum,
  FactStatusEnum,
  INCLUDE_RETRACTED_HELP,
  MIN_STATUS_HELP,
  RetractionRef,
} from './entity.js';
import { bounded, decodeCursor, encodeCursor, isOffset, PAGE, pageInfoOf, rangeOf } from './paging.js';
import { chooseName, resolveName } from './resolveName.js';

interface RelationEdgeShape {
  cursor: string;
  node: EntityRecord;
  relation: RelationRecord;
}

interface RelationConnectionShape {
  totalCount: number;
  edges: RelationEdgeShape[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

type Target = EntityKind | 'Entity';
const targetRef = (t: Target) => (t === 'Entity' ? EntityRef : EntityTypes[t]);

/** One connection type per kind of neighbour (CompanyRelationConnection, ...), shared by every field that leads there. */
const connectionTypes = new Map<Target, ReturnType<typeof makeConnection>>();

function makeConnection(target: Target) {
  const edge = builder.objectRef<RelationEdgeShape>(`${target}RelationEdge`).implement({
    description: `A relationship to a ${target}, with the evidence for it.`,
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      node: t.field({ type: targetRef(target), resolve: (e) => e.node }),
      id: t.id({ description: 'The relationship id, stable across reloads.', resolve: (e) => e.relation.id }),
      type: t.string({
        description: 'The Neo4j relationship type, e.g. DISTRIBUTES.',
        resolve: (e) => e.relation.type,
      }),
      status: t.field({
        type: FactStatusEnum,
        description: 'The strongest status among the evidence, or RETRACTED.',
        resolve: (e) => e.relation.status,
      }),
      retraction: t.field({
        type: RetractionRef,
        nullable: true,
        description: 'Who retracted the relationship, when and why; null while it stands.',
        resolve: (e) => e.relation.retraction,
      }),
      evidence: t.field({ type: [EvidenceRef], resolve: (e) => e.relation.evidence }),
      market: t.field({
        type: EntityTypes.Market,
        nullable: true,
        description: 'The market the relationship holds in (DISTRIBUTES).',
        resolve: (e, _args, ctx) => {
          if (e.relation.market !== undefined) return e.relation.market;
          return e.relation.marketId ? ctx.graph.entity(e.relation.marketId) : null;
        },
      }),
    }),
  });
  return builder.objectRef<RelationConnectionShape>(`${target}RelationConnection`).implement({
    fields: (t) => ({
      totalCount: t.exposeInt('totalCount', {
        description: 'How many relationships match, across all pages.',
      }),
      edges: t.field({ type: [edge], resolve: (c) => c.edges }),
      pageInfo: t.field({
        type: builder.pageInfoRef(),
        resolve: pageInfoOf,
      }),
    }),
  });
}

function connectionType(target: Target) {
  let ref = connectionTypes.get(target);
  if (!ref) {
    ref = makeConnection(target);
    connectionTypes.set(target, ref);
  }
  return ref;
}

function toConnection(page: RelationPage, offset: number): RelationConnectionShape {
  return {
    totalCount: page.totalCount,
    edges: page.rows.map((row, i) => ({
      cursor: encodeCursor({ o: offset + i + 1 }),
      node: row.node,
      relation: row.relation,
    })),
    hasNextPage: offset + page.rows.length < page.totalCount,
    hasPreviousPage: offset > 0,
  };
}

function addRelationField(spec: RelationshipSpec, kind: EntityKind, direction: 'out' | 'in') {
  const others = direction === 'out' ? spec.to : spec.from;
  const target: Target = others.length === 1 && others[0] ? others[0] : 'Entity';
  const withMarket = spec.market === 'required';
  builder.objectField(EntityTypes[kind], direction === 'out' ? spec.outField : spec.inField, (t) =>
    t.field({
      type: connectionType(target),
      description: `${direction === 'out' ? '' : `(reverse of ${spec.type}) `}${spec.description}`,
      complexity: sizedBy('first', PAGE),
      args: {
        first: t.arg.int({ description: `Page size, ${rangeOf(PAGE)}.` }),
        after: t.arg.string({ description: 'The cursor of the last edge already seen.' }),
        status: t.arg({
          type: [EvidenceStatusEnum],
          description: 'Only relationships whose status is one of these.',
        }),
        minStatus: t.arg({ type: EvidenceStatusEnum, description: MIN_STATUS_HELP }),
        includeRetracted: t.arg.boolean({ defaultValue: false, description: INCLUDE_RETRACTED_HELP }),
        ...(withMarket
          ? {
              market: t.arg.string({
                description: 'Only in this market (any name or alias, e.g. "Hàn Quốc").',
              }),
              brand: t.arg.string({ description: "Only this company's products (any name or alias)." }),
            }
          : {}),
      },
      resolve: async (parent: ProjectedEntity, args, ctx: Context, info) => {
        const a = args as { market?: string | null; brand?: string | null };
        const planned = parent.planned?.get(info.path.key as string);
        if (planned && planned.field === info.fieldName) {
          // The parent's statement read this page already, and looked up its names on the way.
          if (a.market && planned.market) chooseName(a.market, planned.market, 'Market');
          if (a.brand && planned.brand) chooseName(a.brand, planned.brand, 'Company');
          return toConnection({ totalCount: planned.totalCount ?? 0, rows: planned.rows }, planned.offset);
        }
        const first = bounded(args.first, 'first', PAGE);
        const offset = args.after ? decodeCursor(args.after, isOffset).o : 0;
        const [market, brand] = await Promise.all([
          a.market ? resolveName(ctx, a.market, 'Market') : null,
          a.brand ? resolveName(ctx, a.brand, 'Company') : null,
        ]);
        const page = await ctx.graph.relations(parent.id, {
          type: spec.type as Parameters<Context['graph']['relations']>[1]['type'],
          direction,
          statuses: acceptedStatuses(
            args.status as EvidenceStatus[] | null | undefined,
            args.minStatus as EvidenceStatus | null | undefined,
            args.includeRetracted as boolean | null | undefined,
          ),
          marketId: market?.id ?? null,
          brandId: brand?.id ?? null,
          offset,
          first,
        });
        return toConnection(page, offset);
      },
    }),
  );
}

export interface RelationField {
  spec: RelationshipSpec;
  direction: 'out' | 'in';
  field: string;
}

/** The relationship fields an entity type has: one per end of each relationship type it can take part in. */
export function relationFieldsOf(kind: EntityKind): RelationField[] {
  const fields: RelationField[] = [];
  for (const spec of RELATIONSHIPS as readonly RelationshipSpec[]) {
    if (spec.from.includes(kind)) fields.push({ spec, direction: 'out', field: spec.outField });
    if (spec.to.includes(kind)) fields.push({ spec, direction: 'in', field: spec.inField });
  }
  return fields;
}

for (const kind of ENTITY_KINDS) {
  for (const { spec, direction } of relationFieldsOf(kind)) addRelationField(spec, kind, direction);
}
