import { encodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import {
  DEFAULT_HOP_TYPES,
  DEPTH,
  EDGE_LIMIT,
  type EdgeRecord,
  type HopFilter,
  type HopRecord,
  MAX_HOPS,
  PATHS,
  type PathRecord,
  type SubgraphRecord,
} from '../graph/explore.js';
import {
  acceptedStatuses,
  type EvidenceStatus,
  isRelationshipType,
  RELATIONSHIP_TYPES,
} from '../graph/model.js';
import { builder } from './builder.js';
import { sizedBy } from './cost.js';
import {
  EntityRef,
  EvidenceRef,
  EvidenceStatusEnum,
  FactStatusEnum,
  INCLUDE_RETRACTED_HELP,
  MIN_STATUS_HELP,
  RetractionRef,
} from './entity.js';
import { badInput } from './errors.js';
import { bounded, rangeOf } from './paging.js';
import { planEntity, planEvidence, planRetraction, selectionOf } from './plan.js';
import { chooseName } from './resolveName.js';

export const HopDirectionEnum = builder.enumType('HopDirection', {
  description: 'Which way a relationship points, as a path walks it.',
  values: {
    FORWARD: { value: 'forward', description: 'The relationship points from the hop’s `from` to its `to`.' },
    BACKWARD: { value: 'backward', description: 'The path walks the relationship against its direction.' },
  } as const,
});

export const EdgeRef = builder.objectRef<EdgeRecord>('Edge').implement({
  description: 'A relationship in a subgraph or path, with the evidence for it.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The relationship id, stable across reloads.' }),
    type: t.exposeString('type', { description: 'The Neo4j relationship type, e.g. DISTRIBUTES.' }),
    from: t.id({
      description: 'The `id` of the entity the relationship starts at.',
      resolve: (e) => encodeGlobalID(e.fromKind, e.from),
    }),
    to: t.id({
      description: 'The `id` of the entity the relationship points to.',
      resolve: (e) => encodeGlobalID(e.toKind, e.to),
    }),
    status: t.field({
      type: FactStatusEnum,
      description: 'The strongest status among the evidence, or RETRACTED.',
      resolve: (e) => e.status,
    }),
    retraction: t.field({
      type: RetractionRef,
      nullable: true,
      description: 'Who retracted the relationship, when and why; null while it stands.',
      resolve: (e) => e.retraction,
    }),
    evidence: t.field({ type: [EvidenceRef], resolve: (e) => e.evidence }),
  }),
});

const SubgraphRef = builder.objectRef<SubgraphRecord>('Subgraph').implement({
  description:
    'Entities and the relationships between them, shaped for a graph view: no edge without its ends.',
  fields: (t) => ({
    nodes: t.field({ type: [EntityRef], description: 'The start entity first.', resolve: (s) => s.nodes }),
    edges: t.field({
      type: [EdgeRef],
      description: 'Nearest first (by hop level), then by relationship id.',
      resolve: (s) => s.edges,
    }),
    truncated: t.exposeBoolean('truncated', {
      description: 'Edges within reach were left out to keep to `limit`.',
    }),
  }),
});

const HopRef = builder.objectRef<HopRecord>('Hop').implement({
  description: 'One step of a path.',
  fields: (t) => ({
    from: t.field({ type: EntityRef, resolve: (h) => h.from }),
    to: t.field({ type: EntityRef, resolve: (h) => h.to }),
    edge: t.field({ type: EdgeRef, resolve: (h) => h.edge }),
    direction: t.field({ type: HopDirectionEnum, resolve: (h) => h.direction }),
  }),
});

const PathRef = builder.objectRef<PathRecord>('Path').implement({
  description: 'A chain of relationships between two entities, walked in either direction.',
  fields: (t) => ({
    length: t.int({ description: 'The number of hops.', resolve: (p) => p.edges.length }),
    nodes: t.field({ type: [EntityRef], description: 'From the start to the end.', resolve: (p) => p.nodes }),
    edges: t.field({ type: [EdgeRef], description: 'In path order.', resolve: (p) => p.edges }),
    hops: t.field({ type: [HopRef], description: 'In path order.', resolve: (p) => p.hops }),
  }),
});

function hopFilter(
  types: readonly string[] | null | undefined,
  status: readonly EvidenceStatus[] | null | undefined,
  minStatus: EvidenceStatus | null | undefined,
  includeRetracted: boolean | null | undefined,
): HopFilter {
  const statuses = acceptedStatuses(status, minStatus, includeRetracted);
  if (types === null || types === undefined) return { types: DEFAULT_HOP_TYPES, statuses };
  const unknown = types.find((t) => !isRelationshipType(t));
  if (unknown !== undefined) {
    throw badInput(
      `relationshipTypes: unknown relationship type "${unknown}"; known types are ${RELATIONSHIP_TYPES.join(', ')}.`,
      'relationshipTypes',
    );
  }
  return { types: [...new Set(types.filter(isRelationshipType))], statuses };
}

const TYPES_HELP =
  'Only relationships of these types, e.g. ["DISTRIBUTES", "MANUFACTURES"]. Default: every type but MENTIONS ' +
  '(the link from an article to what it mentions), which counts only when listed.';
const STATUS_HELP = 'Only relationships whose status is one of these. Default: all but retracted ones.';

/**
 * What a subgraph's selection reads: its nodes as `nodes` selects them, evidence only when `edges` asks, and
 * retractions only when asked where retracted edges are admitted.
 */
function subgraphPlan(info: GraphQLResolveInfo, filter: HopFilter) {
  const fields = selectionOf(info, info.fieldNodes);
  const edges = fields.get('edges') ?? [];
  return {
    nodes: planEntity(info, fields.get('nodes') ?? [], 'Entity'),
    edges: {
      evidence: planEvidence(info, edges),
      market: null,
      retraction: planRetraction(info, edges, filter.statuses),
    },
  };
}

/** What a path's selection reads: nodes and hop ends alike, evidence and retractions under edges and hop edges. */
function pathPlan(info: GraphQLResolveInfo, filter: HopFilter) {
  const fields = selectionOf(info, info.fieldNodes);
  const hops = selectionOf(info, fields.get('hops') ?? []);
  const nodes = [...(fields.get('nodes') ?? []), ...(hops.get('from') ?? []), ...(hops.get('to') ?? [])];
  const edges = [...(fields.get('edges') ?? []), ...(hops.get('edge') ?? [])];
  return {
    nodes: planEntity(info, nodes, 'Entity'),
    edges: {
      evidence: planEvidence(info, edges),
      market: null,
      retraction: planRetraction(info, edges, filter.statuses),
    },
  };
}

async function pathsBetween(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: {
    from: string;
    to: string;
    maxHops?: number | null;
    relationshipTypes?: readonly string[] | null;
    status?: readonly EvidenceStatus[] | null;
    minStatus?: EvidenceStatus | null;
    includeRetracted?: boolean | null;
  },
  first: number,
): Promise<PathRecord[]> {
  const maxHops = bounded(args.maxHops, 'maxHops', MAX_HOPS);
  const filter = hopFilter(args.relationshipTypes, args.status, args.minStatus, args.includeRetracted);
  const found = await ctx.graph.paths(
    { from: { term: args.from, kind: null }, to: { term: args.to, kind: null } },
    { ...filter, maxHops, first },
    pathPlan(info, filter),
  );
  chooseName(args.from, found.from);
  chooseName(args.to, found.to);
  return found.paths;
}

/** What path and allShortestPaths both take. */
const pathArgs = builder.args((t) => ({
  from: t.string({ required: true }),
  to: t.string({ required: true }),
  maxHops: t.int({ description: `Longest path to look for, ${rangeOf(MAX_HOPS)}.` }),
  relationshipTypes: t.stringList({ description: TYPES_HELP }),
  status: t.field({ type: [EvidenceStatusEnum], description: STATUS_HELP }),
  minStatus: t.field({ type: EvidenceStatusEnum, description: MIN_STATUS_HELP }),
  includeRetracted: t.boolean({ defaultValue: false, description: INCLUDE_RETRACTED_HELP }),
}));

builder.queryFields((t) => ({
  neighborhood: t.field({
    type: SubgraphRef,
    description:
      'What surrounds an entity, for a graph view: the entities and relationships up to `depth` hops away in ' +
      'either direction, each relationship with its evidence. At most `limit` edges, nearest first; ' +
      '`truncated` says when some were left out. The name takes any spelling or alias; one that matches ' +
      'nothing is a NOT_FOUND error quoting it.',
    complexity: sizedBy('limit', EDGE_LIMIT),
    args: {
      name: t.arg.string({ required: true }),
      depth: t.arg.int({ description: `Hops from the entity, ${rangeOf(DEPTH)}.` }),
      relationshipTypes: t.arg.stringList({ description: TYPES_HELP }),
      limit: t.arg.int({ description: `Most edges to return, ${rangeOf(EDGE_LIMIT)}.` }),
      status: t.arg({ type: [EvidenceStatusEnum], description: STATUS_HELP }),
      minStatus: t.arg({ type: EvidenceStatusEnum, description: MIN_STATUS_HELP }),
      includeRetracted: t.arg.boolean({ defaultValue: false, description: INCLUDE_RETRACTED_HELP }),
    },
    resolve: async (_root, args, ctx, info) => {
      const depth = bounded(args.depth, 'depth', DEPTH);
      const limit = bounded(args.limit, 'limit', EDGE_LIMIT);
      const filter = hopFilter(args.relationshipTypes, args.status, args.minStatus, args.includeRetracted);
      const found = await ctx.graph.neighborhood(
        { term: args.name, kind: null },
        { ...filter, depth, limit },
        subgraphPlan(info, filter),
      );
      chooseName(args.name, found.candidates);
      if (!found.subgraph) throw new Error(`"${args.name}" was resolved but its neighbourhood was not read`);
      return found.subgraph;
    },
  }),
  path: t.field({
    type: PathRef,
    nullable: true,
    description:
      'A shortest chain of relationships between two entities, walked in either direction, each hop with its ' +
      'evidence; null when none is within `maxHops`. Of several equally short paths, the first by relationship ' +
      'ids, so the answer is stable. Names take any spelling or alias; one that matches nothing is a NOT_FOUND ' +
      'error quoting it.',
    args: pathArgs,
    resolve: async (_root, args, ctx, info) => {
      const [found] = await pathsBetween(ctx, info, args, 1);
      return found ?? null;
    },
  }),
  allShortestPaths: t.field({
    type: [PathRef],
    description:
      'Every shortest chain of relationships between two entities (up to `first`, ordered by relationship ids), ' +
      'walked in either direction; empty when none is within `maxHops`.',
    complexity: sizedBy('first', PATHS),
    args: {
      ...pathArgs,
      first: t.arg.int({ description: `Most paths to return, ${rangeOf(PATHS)}.` }),
    },
    resolve: (_root, args, ctx, info) => pathsBetween(ctx, info, args, bounded(args.first, 'first', PATHS)),
  }),
}));
