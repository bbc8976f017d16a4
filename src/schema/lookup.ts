import { decodeGlobalID } from '@pothos/plugin-relay';
import { ENTITY_KINDS, type EntityKind } from '../graph/model.js';
import type { EntityRecord } from '../graph/records.js';
import { builder } from './builder.js';
import { sizedByList } from './cost.js';
import { EntityRef } from './entity.js';
import { badInput } from './errors.js';
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

const isEntityKind = (name: string): name is EntityKind => (ENTITY_KINDS as readonly string[]).includes(name);

/** The kind and key a global id names; null when it is not one (not base64 of "Kind:key"). */
function decodeEntityId(id: string): { kind: string; key: string } | null {
  try {
    const { typename, id: key } = decodeGlobalID(id);
    return { kind: typename, key };
  } catch {
    return null;
  }
}

/**
 * An entity by its global id: null when the id is well formed but names no entity (or an entity of another
 * kind); a BAD_USER_INPUT naming the argument when it is not a global id at all.
 */
async function byGlobalId(
  ctx: { graph: { entity(key: string): Promise<EntityRecord | null> } },
  id: string,
  argument: string,
  label = argument,
) {
  const decoded = decodeEntityId(id);
  if (!decoded)
    throw badInput(`${label} is not a global id this API gave out: "${id.slice(0, 60)}".`, argument);
  if (!isEntityKind(decoded.kind)) return null;
  const entity = await ctx.graph.entity(decoded.key);
  return entity?.kind === decoded.kind ? entity : null;
}

/** The relay plugin's node(id:) decodes the id before any resolver runs; this one reports it as above. */
builder.queryField('node', (t) =>
  t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: 'An entity by its global id (the `id` field of any Entity); an unknown id gives null.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => byGlobalId(ctx, String(args.id), 'id'),
  }),
);

/**
 * The relay plugin's nodes(ids:), but each id decoded on its own: a malformed one is null with a
 * BAD_USER_INPUT at its index (path ["nodes", i]) and the others are still answered. Each item is its own
 * promise, so graphql-js reports the error of one item there; the loads of all of them are one statement.
 */
builder.queryField('nodes', (t) =>
  t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description: 'Entities by their global ids; unknown ids give null.',
    complexity: sizedByList('ids'),
    args: { ids: t.arg.idList({ required: true }) },
    resolve: (_root, args, ctx) =>
      args.ids.map((given, i) => byGlobalId(ctx, String(given), 'ids', `ids[${i}]`)),
  }),
);
