import {
  DEFAULT_ORDER,
  type EntityFilter,
  type KeyFilter,
  LIST_KINDS,
  LISTS,
  type ListKind,
  listSpec,
  type NameFilter,
  type NeighbourFilter,
  type NumberFilter,
  type Order,
  type RelationFilter,
} from '../graph/filters.js';
import { acceptedStatuses, type EvidenceStatus, type RelationshipType } from '../graph/model.js';
import type { EntityRecord } from '../graph/records.js';
import { builder } from './builder.js';
import { sizedBy } from './cost.js';
import { EntityTypes, EvidenceStatusEnum, INCLUDE_RETRACTED_HELP, MIN_STATUS_HELP } from './entity.js';
import { badInput } from './errors.js';
import { bounded, decodeCursor, encodeCursor, PAGE, pageInfoOf, rangeOf } from './paging.js';
import { planField, selectionOf } from './plan.js';
import { relationFieldsOf } from './relations.js';
import { chooseName } from './resolveName.js';

/**
 * companies, products, markets. What each list filters and orders by is declared once, in the graph layer
 * (LISTS in graph/filters.ts); the where and orderBy inputs here are derived from it, and a where input is
 * turned back into the graph layer's filter by the same declaration.
 */

interface ListShape {
  totalCount: number;
  edges: { cursor: string; node: EntityRecord }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

interface RelationWhereInput {
  node?: NeighbourFilter | null;
  status?: EvidenceStatus[] | null;
  minStatus?: EvidenceStatus | null;
  includeRetracted?: boolean | null;
  market?: string | null;
  brand?: string | null;
}
/** The shape of every <Kind>Where input: the fixed fields plus its properties and <relation>_SOME / _NONE. */
type WhereInput = {
  AND?: WhereInput[] | null;
  OR?: WhereInput[] | null;
  NOT?: WhereInput | null;
  key?: KeyFilter | null;
  name?: NameFilter | null;
  nameContains?: string | null;
} & Record<string, unknown>;

const NameFilterRef = builder.inputRef<NameFilter>('NameFilter').implement({
  description: 'Compares names ignoring case and diacritics ("han quoc" equals "Hàn Quốc").',
  fields: (t) => ({
    equals: t.string(),
    in: t.stringList(),
    contains: t.string(),
    startsWith: t.string(),
  }),
});

const TextFilterRef = builder.inputRef<NameFilter>('TextFilter').implement({
  description: 'Compares a text property ignoring case.',
  fields: (t) => ({
    equals: t.string(),
    in: t.stringList(),
    contains: t.string(),
    startsWith: t.string(),
  }),
});

const KeyFilterRef = builder.inputRef<KeyFilter>('KeyFilter').implement({
  description: 'Matches the readable id from the facts file (`key`, e.g. "company:xiaomi").',
  fields: (t) => ({ equals: t.string(), in: t.stringList() }),
});

const FloatFilterRef = builder.inputRef<NumberFilter>('FloatFilter').implement({
  fields: (t) => ({ equals: t.float(), lt: t.float(), lte: t.float(), gt: t.float(), gte: t.float() }),
});

/** The input each way of comparing a property takes. */
const COMPARISON_INPUTS = { text: TextFilterRef, number: FloatFilterRef } as const;

const NeighbourWhereRef = builder.inputRef<NeighbourFilter>('NeighbourWhere').implement({
  description: 'Conditions on the entity at the other end of a relationship.',
  fields: (t) => ({
    key: t.field({ type: KeyFilterRef }),
    name: t.field({ type: NameFilterRef }),
    nameContains: t.string({ description: 'Part of the name or of an alias, ignoring case and diacritics.' }),
  }),
});

const RelationWhereRef = builder.inputRef<RelationWhereInput>('RelationWhere').implement({
  description:
    'Conditions on a relationship and the entity at its other end, for <relation>_SOME ("at least one such ' +
    'relationship") and <relation>_NONE ("no such relationship"). Retracted relationships count only with ' +
    '`includeRetracted: true`.',
  fields: (t) => ({
    node: t.field({ type: NeighbourWhereRef }),
    status: t.field({
      type: [EvidenceStatusEnum],
      description: 'Only relationships whose status is one of these.',
    }),
    minStatus: t.field({ type: EvidenceStatusEnum, description: MIN_STATUS_HELP }),
    includeRetracted: t.boolean({ defaultValue: false, description: INCLUDE_RETRACTED_HELP }),
    market: t.string({
      description: 'Only relationships that hold in this market (DISTRIBUTES), by any name.',
    }),
    brand: t.string({ description: 'Only when the entity at the other end is a product of this company.' }),
  }),
});

const DIRECTIONS = ['asc', 'desc'] as const;
/** An order's orderBy value: NAME_ASC, PRICE_DESC, ... (a cursor holds it, to be checked on the way back). */
const orderValue = (o: Order) => `${o.key}_${o.direction}`.toUpperCase();
const DEFAULT_ORDER_NAME = orderValue(DEFAULT_ORDER);

/** The orderBy values of a list: each order key of its declaration, both ways. */
function ordersOf(kind: ListKind): Map<string, Order> {
  return new Map(
    listSpec(kind).orders.flatMap((key) =>
      DIRECTIONS.map((direction): [string, Order] => [orderValue({ key, direction }), { key, direction }]),
    ),
  );
}

function toRelationFilter(
  type: string,
  direction: 'out' | 'in',
  quantifier: 'some' | 'none',
  input: RelationWhereInput,
): RelationFilter {
  return {
    type: type as RelationshipType,
    direction,
    quantifier,
    node: input.node ?? null,
    statuses: acceptedStatuses(input.status, input.minStatus, input.includeRetracted),
    market: input.market ? { term: input.market, kind: 'Market' } : null,
    brand: input.brand ? { term: input.brand, kind: 'Company' } : null,
  };
}

/** Turns a where input into the graph layer's filter; the names it holds are looked up with the list. */
function toFilter(kind: ListKind, input: WhereInput): EntityFilter {
  const related: RelationFilter[] = [];
  for (const { spec, direction, field } of relationFieldsOf(kind)) {
    for (const [suffix, quantifier] of [
      ['_SOME', 'some'],
      ['_NONE', 'none'],
    ] as const) {
      const value = input[`${field}${suffix}`] as RelationWhereInput | null | undefined;
      if (value) related.push(toRelationFilter(spec.type, direction, quantifier, value));
    }
  }
  const text: EntityFilter['text'] = {};
  const number: EntityFilter['number'] = {};
  for (const { property, compare } of LISTS[kind].filters) {
    if (compare === 'text') text[property] = (input[property] as NameFilter | null | undefined) ?? null;
    else number[property] = (input[property] as NumberFilter | null | undefined) ?? null;
  }
  return {
    key: input.key ?? null,
    name: input.name ?? null,
    nameContains: input.nameContains ?? null,
    text,
    number,
    related,
    and: input.AND ? input.AND.map((w) => toFilter(kind, w)) : null,
    or: input.OR ? input.OR.map((w) => toFilter(kind, w)) : null,
    not: input.NOT ? toFilter(kind, input.NOT) : null,
  };
}

const isListCursor = (v: unknown): v is { v: string | number; i: string; o: string } =>
  typeof v === 'object' &&
  v !== null &&
  (typeof (v as { v: unknown }).v === 'string' || typeof (v as { v: unknown }).v === 'number') &&
  typeof (v as { i: unknown }).i === 'string' &&
  typeof (v as { o: unknown }).o === 'string';

/** The query field of each list. */
const LIST_FIELDS: Record<ListKind, string> = {
  Company: 'companies',
  Product: 'products',
  Market: 'markets',
};

/** A Relay connection with where, orderBy, keyset cursors and a total. */
function addList(kind: ListKind) {
  const field = LIST_FIELDS[kind];
  const plural = field;
  const edge = builder.objectRef<ListShape['edges'][number]>(`${kind}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      node: t.field({ type: EntityTypes[kind], resolve: (e) => e.node }),
    }),
  });
  const connection = builder.objectRef<ListShape>(`${kind}Connection`).implement({
    fields: (t) => ({
      totalCount: t.exposeInt('totalCount', { description: `How many ${plural} match, across all pages.` }),
      edges: t.field({ type: [edge], resolve: (c) => c.edges }),
      pageInfo: t.field({ type: builder.pageInfoRef(), resolve: pageInfoOf }),
    }),
  });

  const orders = ordersOf(kind);
  const orderBy = builder.enumType(`${kind}OrderBy`, {
    values: Object.fromEntries([...orders.keys()].map((o) => [o, { value: o }])),
  });

  const where = builder.inputRef<WhereInput>(`${kind}Where`);
  where.implement({
    description: `Conditions on ${plural}; all given conditions must hold. Names ignore case and diacritics.`,
    fields: (t) => ({
      AND: t.field({ type: [where] }),
      OR: t.field({ type: [where] }),
      NOT: t.field({ type: where }),
      key: t.field({ type: KeyFilterRef }),
      name: t.field({ type: NameFilterRef, description: 'On the English name.' }),
      nameContains: t.string({ description: 'Part of the name or of an alias.' }),
      ...Object.fromEntries(
        listSpec(kind).filters.map(({ property, compare }) => [
          property,
          t.field({ type: COMPARISON_INPUTS[compare] }),
        ]),
      ),
      ...Object.fromEntries(
        relationFieldsOf(kind).flatMap(({ field: f, spec }) => [
          [
            `${f}_SOME`,
            t.field({
              type: RelationWhereRef,
              description: `Has at least one such ${spec.type} relationship.`,
            }),
          ],
          [
            `${f}_NONE`,
            t.field({ type: RelationWhereRef, description: `Has no such ${spec.type} relationship.` }),
          ],
        ]),
      ),
    }),
  });

  builder.queryField(field, (t) =>
    t.field({
      type: connection,
      description: `${plural[0]?.toUpperCase()}${plural.slice(1)}, filtered and ordered (by name by default), a page at a time.`,
      complexity: sizedBy('first', PAGE),
      args: {
        first: t.arg.int({ description: `Page size, ${rangeOf(PAGE)}.` }),
        after: t.arg.string({ description: 'The endCursor of the page before.' }),
        where: t.arg({ type: where }),
        orderBy: t.arg({
          type: orderBy,
          description: `Default ${DEFAULT_ORDER_NAME}; ties are broken by key.`,
        }),
      },
      resolve: async (_root, args, ctx, info) => {
        const first = bounded(args.first, 'first', PAGE);
        const orderName = (args.orderBy as string | null | undefined) ?? DEFAULT_ORDER_NAME;
        const order = orders.get(orderName);
        if (!order) throw new Error(`${field} has no orderBy ${orderName}`);
        const after = args.after ? decodeCursor(args.after, isListCursor) : null;
        if (after && after.o !== orderName) {
          throw badInput(`after is a cursor for orderBy ${after.o}, not ${orderName}.`, 'after');
        }
        const filter = args.where ? toFilter(kind, args.where) : null;
        const selection = selectionOf(info, info.fieldNodes);
        const page = await ctx.graph.list(
          {
            kind,
            filter,
            order,
            first,
            after: after ? { value: after.v, id: after.i } : null,
            total: selection.has('totalCount'),
          },
          planField(info, selection.get('edges') ?? [], 'node', kind),
        );
        for (const { ref, candidates } of page.names) chooseName(ref.term, candidates, ref.kind ?? undefined);
        return {
          totalCount: page.totalCount,
          edges: page.items.map((item) => ({
            cursor: encodeCursor({ v: item.sortValue, i: item.entity.id, o: orderName }),
            node: item.entity,
          })),
          hasNextPage: page.hasNextPage,
          hasPreviousPage: after !== null,
        };
      },
    }),
  );
}

for (const kind of LIST_KINDS) addList(kind);
