import { builder } from './builder.js';
import { EntityTypes } from './entity.js';
import { planEntity } from './plan.js';
import { chooseName } from './resolveName.js';

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
    resolve: async (_root, args, ctx, info) => {
      const plan = planEntity(info, info.fieldNodes, 'Company');
      const found = await ctx.graph.distributors(
        { term: args.brand, kind: 'Company' },
        { term: args.market, kind: 'Market' },
        plan,
      );
      chooseName(args.brand, found.brand, 'Company');
      chooseName(args.market, found.market, 'Market');
      return found.companies;
    },
  }),
);
