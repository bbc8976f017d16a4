import { builder } from './builder.js';
import { EntityTypes } from './entity.js';
import { resolveName } from './resolveName.js';

builder.queryField('distributors', (t) =>
  t.field({
    type: [EntityTypes.Company],
    description:
      'Companies that distribute some product of the brand in the market, in name order. Both terms take any ' +
      'name or alias ("Korea", "Hàn Quốc", "han quoc"); one that matches nothing is a NOT_FOUND error quoting it.',
    args: {
      brand: t.arg.string({ required: true, description: 'The manufacturer, e.g. "Xiaomi".' }),
      market: t.arg.string({ required: true, description: 'The market, e.g. "South Korea" or "Hàn Quốc".' }),
    },
    resolve: async (_root, args, ctx) => {
      const [brand, market] = await Promise.all([
        resolveName(ctx, args.brand, 'Company'),
        resolveName(ctx, args.market, 'Market'),
      ]);
      const companies = await ctx.graph.distributors(brand.id, market.id);
      ctx.graph.prime(companies);
      return companies;
    },
  }),
);
