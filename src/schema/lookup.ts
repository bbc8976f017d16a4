import { builder } from './builder.js';
import { EntityRef } from './entity.js';
import { resolveName } from './resolveName.js';

builder.queryField('entity', (t) =>
  t.field({
    type: EntityRef,
    nullable: true,
    description:
      'The entity a name or alias means, ignoring case and diacritics ("han quoc" finds South Korea). ' +
      'A name that matches nothing is a NOT_FOUND error quoting it.',
    args: { name: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => resolveName(ctx, args.name),
  }),
);
