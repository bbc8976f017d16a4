import type {
  EntityFilter,
  FilterProperty,
  ListKind,
  NeighbourFilter,
  Order,
  RelationFilter,
} from '../graph/filters.js';
import type { EntityKind, EvidenceStatus, RelationshipType } from '../graph/model.js';
import type { EntityRecord } from '../graph/records.js';
import { builder } from './builder.js';
import { EntityTypes, EvidenceStatusEnum } from './entity.js';
import { badInput } from './errors.js';
import { decodeCursor, encodeCursor, pageInfoOf, pageSize } from './paging.js';
import { planField, selectionOf } from './plan.js';
import { relationFieldsOf } from './relations.js';
import { chooseName } from './resolveName.js';

interface ListShape {
  totalCount: number;
  edges: { cursor: string; node: EntityRecord }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

interface NameFilterInput {
  equals?: string | null;
  in?: string[] | null;
  contains?: string | null;
  startsWith?: string | null;
}
interface KeyFilterInput {
  equals?: string | null;
  in?: string[] | null;
}
interface FloatFilterInput {
  equals?: number | null;
  lt?: number | null;
  lte?: number | null;
  gt?: number | null;
  gte?: number | null;
}
interface NeighbourWhereInput {
  key?: KeyFilterInput | null;
  name?: NameFilterInput | null;
  nameContains?: string | null;
}
interface RelationWhereInput {
  node?: NeighbourWhereInput | null;
  status?: EvidenceStatus[] | null;
  market?: string | null;
  brand?: string | null;
}
/** The shape of every <Kind>Where input: the fixed fields plus <relation>_SOME / <relation>_NONE. */
type WhereInput = {
  AND?: WhereInput[] | null;
  OR?: WhereInput[] | null;
  NOT?: WhereInput | null;
  key?: KeyFilterInput | null;
  name?: NameFilterInput | null;
  nameContains?: string | null;
} & Record<string, unknown>;

const NameFilterRef = builder.inputRef<NameFilterInput>('NameFilter').implement({
  description: 'Compares names ignoring case and diacritics ("han quoc" equals "Hàn Quốc").',
  fields: (t) => ({
    equals: t.string(),
    in: t.stringList(),
    contains: t.string(),
    startsWith: t.string(),
  }),
});

const TextFilterRef = builder.inputRef<NameFilterInput>('TextFilter').implement({
  description: 'Compares a text property ignoring case.',
  fields: (t) => ({
    equals: t.string(),
    in: t.stringList(),
    contains: t.string(),
    startsWith: t.string(),
  }),
});

const KeyFilterRef = builder.inputRef<KeyFilterInput>('KeyFilter').implement({
  description: 'Matches the readable id from the facts file (`key`, e.g. "company:xiaomi").',
  fields: (t) => ({ equals: t.string(), in: t.stringList() }),
});

const FloatFilterRef = builder.inputRef<FloatFilterInput>('FloatFilter').implement({
  fields: (t) => ({ equals: t.float(), lt: t.float(), lte: t.float(), gt: t.float(), gte: t.float() }),
});

const NeighbourWhereRef = builder.inputRef<NeighbourWhereInput>('NeighbourWhere').implement({
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
    'relationship") and <relation>_NONE ("no such relationship").',
  fields: (t) => ({
    node: t.field({ type: NeighbourWhereRef }),
    status: t.field({
      type: [EvidenceStatusEnum],
      description: 'Only relationships whose status is one of these.',
    }),
    market: t.string({
      description: 'Only relationships that hold in this market (DISTRIBUTES), by any name.',
    }),
    brand: t.string({ description: 'Only when the entity at the other end is a product of this company.' }),
  }),
});

/** Kind-specific properties a where input offers, mapped to the closed set the graph layer accepts. */
const PROPERTY_FILTERS: Partial<Record<EntityKind, { text?: FilterProperty[]; number?: FilterProperty[] }>> =
  {
    Product: { text: ['category'], number: ['priceUpToUsd'] },
    Market: { text: ['countryCode'] },
  };

const ORDERS: Record<string, Order> = {
  NAME_ASC: { key: 'name', direction: 'asc' },
  NAME_DESC: { key: 'name', direction: 'desc' },
  KEY_ASC: { key: 'key', direction: 'asc' },
  KEY_DESC: { key: 'key', direction: 'desc' },
  PRICE_ASC: { key: 'priceUpToUsd', direction: 'asc' },
  PRICE_DESC: { key: 'priceUpToUsd', direction: 'desc' },
};

function toRelationFilter(
  type: string,
  direction: 'out' | 'in',
  quantifier: 'some' | 'none',
  input: RelationWhereInput,
): RelationFilter {
  const node: NeighbourFilter | null = input.node ?? null;
  return {
    type: type as RelationshipType,
    direction,
    quantifier,
    node,
    statuses: input.status ?? null,
    market: input.market ? { term: input.market, kind: 'Market' } : null,
    brand: input.brand ? { term: input.brand, kind: 'Company' } : null,
  };
}

/** Turns a where input into the graph layer's filter; the names it holds are looked up with the list. */
function toFilter(kind: EntityKind, input: WhereInput): EntityFilter {
  const props = PROPERTY_FILTERS[kind] ?? {};
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
  for (const p of props.text ?? []) text[p] = (input[p] as NameFilterInput | null | undefined) ?? null;
  const number: EntityFilter['number'] = {};
  for (const p of props.number ?? []) number[p] = (input[p] as FloatFilterInput | null | undefined) ?? null;
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

/** companies, products, markets: Relay connections with where, orderBy, keyset cursors and a total. */
function addList(kind: ListKind, field: string, plural: string) {
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

  const orderNames = Object.keys(ORDERS).filter((o) => !o.startsWith('PRICE') || kind === 'Product');
  const orderBy = builder.enumType(`${kind}OrderBy`, {
    values: Object.fromEntries(orderNames.map((o) => [o, { value: o }])),
  });

  const props = PROPERTY_FILTERS[kind] ?? {};
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
      ...Object.fromEntries((props.text ?? []).map((p) => [p, t.field({ type: TextFilterRef })])),
      ...Object.fromEntries((props.number ?? []).map((p) => [p, t.field({ type: FloatFilterRef })])),
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
      args: {
        first: t.arg.int({ description: 'Page size, 0 to 100 (default 20).' }),
        after: t.arg.string({ description: 'The endCursor of the page before.' }),
        where: t.arg({ type: where }),
        orderBy: t.arg({ type: orderBy, description: 'Default NAME_ASC; ties are broken by key.' }),
      },
      resolve: async (_root, args, ctx, info) => {
        const first = pageSize(args.first);
        const orderName = (args.orderBy as string | null | undefined) ?? 'NAME_ASC';
        const order = ORDERS[orderName] ?? { key: 'name', direction: 'asc' };
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

addList('Company', 'companies', 'companies');
addList('Product', 'products', 'products');
addList('Market', 'markets', 'markets');
