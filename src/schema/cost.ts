import { type GraphQLField, getNullableType, isListType } from 'graphql';
import type { Bounds } from './paging.js';

/**
 * What a field costs, for @pothos/plugin-complexity: 1 per parent instance, plus what it selects times how
 * many items it may return. A field sized by an argument declares it beside that argument's bounds
 * (`complexity: sizedBy('first', PAGE)`), so a size is stated once for the resolver and the cost alike.
 */

/** A list field whose size an argument sets: the argument within its bounds, or its default when left out. */
export function sizedBy(argument: string, bounds: Bounds) {
  return (args: Record<string, unknown>) => {
    const given = args[argument];
    const n = typeof given === 'number' && Number.isFinite(given) ? given : bounds.default;
    // A size out of bounds is refused by the resolver before it reads anything (BAD_USER_INPUT naming the
    // argument), so it counts as the bound here: `first: -100` cannot cancel the cost of a sibling.
    return { field: 1, multiplier: Math.min(Math.max(n, 0), bounds.max) };
  };
}

/** A list field with one item per element of an argument (`nodes(ids:)`). */
export function sizedByList(argument: string) {
  return (args: Record<string, unknown>) => {
    const given = args[argument];
    return { field: 1, multiplier: Array.isArray(given) ? given.length : 1 };
  };
}

/** Lists whose size was already counted on the field that pages them. */
const COUNTED_BY_PARENT = new Set(['edges', 'nodes', 'hops']);
/** Any other list (evidence, aliases, ...): assumed to hold up to this many items. */
const OTHER_LIST = 10;

/** The cost of a field that declares none. */
export function defaultComplexity(
  _args: Record<string, unknown>,
  _ctx: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: any context: the cost depends on the field alone.
  field: GraphQLField<unknown, any>,
) {
  if (!isListType(getNullableType(field.type))) return 1;
  return { field: 1, multiplier: COUNTED_BY_PARENT.has(field.name) ? 1 : OTHER_LIST };
}
