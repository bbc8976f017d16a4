import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import type { EntityKind } from '../graph/model.js';
import { NameNotFound } from './errors.js';

/**
 * Suggestions for a name that means nothing. Names are resolved inside each question's one statement and
 * checked by chooseName, which has no database at hand and throws NameNotFound; this plugin wraps every field
 * that takes arguments, and only when one of them throws that does it ask for the names the user probably
 * meant (a second statement, a search) and throw the NOT_FOUND with them instead. A name that is found costs
 * nothing more, and resolvers stay as they are. Pothos has no hook for this; one wrapper is the least code.
 */
export class SuggestionsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const suggest = this.builder.options.suggestions?.namesFor;
    if (!suggest || Object.keys(fieldConfig.args).length === 0) return resolver;
    const withSuggestions = async (error: unknown, context: Types['Context']): Promise<never> => {
      if (!(error instanceof NameNotFound)) throw error;
      throw error.withSuggestions(await suggest(context, error.term, error.kind));
    };
    return (parent, args, context, info) => {
      try {
        const result: unknown = resolver(parent, args, context, info);
        // A value the resolver gave at once stays one: graphql-js completes it without waiting.
        return isPromise(result) ? result.catch((e: unknown) => withSuggestions(e, context)) : result;
      } catch (e) {
        return withSuggestions(e, context);
      }
    };
  }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

const pluginName = 'suggestions';
export default pluginName;

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      suggestions: SuggestionsPlugin<Types>;
    }
    export interface SchemaBuilderOptions<Types extends SchemaTypes> {
      suggestions?: {
        /** The names a term that means no entity (of the kind; null for any) probably meant, best first. */
        namesFor: (
          context: Types['Context'],
          term: string,
          kind: EntityKind | null,
        ) => Promise<readonly string[]>;
      };
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, SuggestionsPlugin);
