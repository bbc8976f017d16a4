import type { EntityKind } from '../graph/model.js';
import type { EntityRecord } from '../graph/records.js';
import { builder } from './builder.js';
import { EntityTypes } from './entity.js';
import { decodeCursor, encodeCursor, isKeyset, pageInfoOf, pageSize } from './paging.js';

interface ListShape {
  totalCount: number;
  edges: { cursor: string; node: EntityRecord }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** companies, products, markets: Relay connections in name order, with a name filter and a total. */
function addList(kind: EntityKind, field: string, plural: string) {
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
      pageInfo: t.field({
        type: builder.pageInfoRef(),
        resolve: pageInfoOf,
      }),
    }),
  });
  const where = builder.inputType(`${kind}Where`, {
    fields: (t) => ({
      nameContains: t.string({
        description: 'Part of the name or of an alias, ignoring case and diacritics.',
      }),
    }),
  });
  builder.queryField(field, (t) =>
    t.field({
      type: connection,
      description: `All ${plural} in name order, a page at a time.`,
      args: {
        first: t.arg.int({ description: 'Page size, 0 to 100 (default 20).' }),
        after: t.arg.string({ description: 'The endCursor of the page before.' }),
        where: t.arg({ type: where }),
      },
      resolve: async (_root, args, ctx) => {
        const first = pageSize(args.first);
        const after = args.after ? decodeCursor(args.after, isKeyset) : null;
        const page = await ctx.graph.list({
          kind,
          nameContains: args.where?.nameContains ?? null,
          first,
          after: after ? { sortName: after.s, id: after.i } : null,
        });
        ctx.graph.prime(page.items);
        return {
          totalCount: page.totalCount,
          edges: page.items.map((node) => ({ cursor: encodeCursor({ s: node.sortName, i: node.id }), node })),
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
