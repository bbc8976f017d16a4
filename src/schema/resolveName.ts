import type { Context } from '../context.js';
import type { EntityKind } from '../graph/model.js';
import { foldName } from '../graph/names.js';
import type { NameCandidate } from '../graph/projection.js';
import type { EntityRecord } from '../graph/records.js';
import { ambiguous, NameNotFound } from './errors.js';

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const described: Partial<Record<EntityKind, string>> = {
  Company: 'company',
  Market: 'market',
  Product: 'product',
};

/**
 * The one candidate a user means by a name or alias, in any case and with or without diacritics. An entity
 * whose own name matches wins over one that only has it as an alias; anything else that stays ambiguous, or
 * nothing at all, is an error quoting the term (for nothing, with suggestions added by src/schema/suggestions.ts).
 */
export function chooseName<C extends NameCandidate>(
  term: string,
  candidates: readonly C[],
  kind?: EntityKind,
): C {
  const matches = candidates
    .filter((c) => !kind || c.kind === kind)
    .sort((a, b) => compare(foldName(a.name), foldName(b.name)) || compare(a.id, b.id));
  const best = matches.some((c) => c.byName) ? matches.filter((c) => c.byName) : matches;
  const [first, ...rest] = best;
  if (!first)
    throw new NameNotFound(term, kind ? (described[kind] ?? kind.toLowerCase()) : 'entity', kind ?? null);
  if (rest.length > 0)
    throw ambiguous(
      term,
      best.map((c) => `${c.name} (${c.kind})`),
    );
  return first;
}

/** The entity a name means, looked up on its own (questions that plan their statement resolve names in it). */
export async function resolveName(ctx: Context, term: string, kind?: EntityKind): Promise<EntityRecord> {
  const matches = await ctx.graph.entitiesByName(term);
  const candidates = matches.map((m) => ({
    id: m.entity.id,
    name: m.entity.name,
    kind: m.entity.kind,
    byName: m.byName,
    entity: m.entity,
  }));
  return chooseName(term, candidates, kind).entity;
}
