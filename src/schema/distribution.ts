import { acceptedStatuses } from '../graph/model.js';
import { builder } from './builder.js';
import { EntityTypes, INCLUDE_RETRACTED_HELP } from './entity.js';
import { planEntity } from './plan.js';
import { chooseName } from './resolveName.js';

builder.queryField('distributors', (t) =>
  t.field({
    type: [EntityTypes.Company],
    description:
      'Companies that distribute some product of the brand in the market, in name order. Both terms take any ' +
      'name or alias ("Korea", "Hàn Quốc", "han quoc"); one that matches nothing is a NOT_FOUND error quoting it. ' +
      'Only by relationships that stand, unless `includeRetracted`.',
    args: {
      brand: t.arg.string({ required: true, description: 'The manufacturer, e.g. "Xiaomi".' }),
      market: t.arg.string({ required: true, description: 'The market, e.g. "South Korea" or "Hàn Quốc".' }),
      includeRetracted: t.arg.boolean({ defaultValue: false, description: INCLUDE_RETRACTED_HELP }),
    },
    resolve: async (_root, args, ctx, info) => {
      const plan = planEntity(info, info.fieldNodes, 'Company');
      const found = await ctx.graph.distributors(
        { term: args.brand, kind: 'Company' },
        { term: args.market, kind: 'Market' },
        plan,
        acceptedStatuses(null, null, args.includeRetracted),
      );
      chooseName(args.brand, found.brand, 'Company');
      chooseName(args.market, found.market, 'Market');
      return found.companies;
    },
  }),
);
