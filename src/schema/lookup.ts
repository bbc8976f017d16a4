import { builder } from './builder.js';
import { EntityRef } from './entity.js';
import { planEntity } from './plan.js';
import { chooseName } from './resolveName.js';

builder.queryField('entity', (t) =>
  t.field({
    type: EntityRef,
    nullable: true,
    description:
      'The entity a name or alias means, ignoring case and diacritics ("han quoc" finds South Korea). ' +
      'A name that matches nothing is a NOT_FOUND error quoting it.',
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx, info) => {
      const plan = planEntity(info, info.fieldNodes, 'Entity');
      const found = await ctx.graph.entityNamed({ term: args.name, kind: null }, plan);
      chooseName(args.name, found.candidates);
      return found.entity;
    },
  }),
);
