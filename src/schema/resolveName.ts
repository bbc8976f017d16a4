import type { Context } from '../context.js';
import type { EntityKind } from '../graph/model.js';
import type { EntityRecord } from '../graph/records.js';
import { ambiguous, notFound } from './errors.js';

const described: Partial<Record<EntityKind, string>> = {
  Company: 'company',
  Market: 'market',
  Product: 'product',
};

/**
 * The entity a user means by a name or alias, in any case and with or without diacritics. An entity whose own
 * name matches wins over one that only has it as an alias; anything else that stays ambiguous is an error.
 */
export async function resolveName(ctx: Context, term: string, kind?: EntityKind): Promise<EntityRecord> {
  const matches = (await ctx.graph.entitiesByName(term)).filter((m) => !kind || m.entity.kind === kind);
  const best = matches.some((m) => m.byName) ? matches.filter((m) => m.byName) : matches;
  const [first, ...rest] = best;
  if (!first) throw notFound(term, kind ? (described[kind] ?? kind.toLowerCase()) : 'entity');
  if (rest.length > 0)
    throw ambiguous(
      term,
      best.map((m) => `${m.entity.name} (${m.entity.kind})`),
    );
  return first.entity;
}
