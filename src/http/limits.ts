import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { createComplexityRule } from '@pothos/plugin-complexity';
import {
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  validate,
  visit,
} from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { Limits } from '../config.js';
import { ClientError } from '../schema/errors.js';

/**
 * What a request may ask for, checked before anything runs: GraphQL Armor for tokens, depth and aliases
 * (and for hiding field suggestions when introspection is off), @pothos/plugin-complexity for the cost,
 * whose sizes each field declares beside its own bounds (src/schema/cost.ts). Each refusal is a ClientError
 * with its own code, the limit and what was found.
 */

/** The number Armor found, from the message it builds with exposeLimits (it offers it nowhere else). */
const found = (error: GraphQLError) => Number(/found (\d+)/.exec(error.message)?.[1] ?? Number.NaN);

/**
 * An Armor rule that reports our error instead of throwing its own ("Syntax Error: ..." without a code).
 * It is given the validation context only while it runs, so the rejection is reported there.
 */
function armored<O>(
  rule: (options: O) => (context: ValidationContext) => ASTVisitor,
  options: O,
  refuse: (error: GraphQLError) => ClientError,
): ValidationRule {
  return (context) =>
    rule({
      ...options,
      exposeLimits: true,
      propagateOnRejection: false,
      onReject: [(_ctx: unknown, error: GraphQLError) => context.reportError(refuse(error))],
    })(context);
}

/**
 * Directives are counted here, not by Armor: Armor's max-directives returns a fragment's remembered count for
 * a second spread of it before adding the spread's own directives, so `...F @skip(if: false)` repeated any
 * number of times counts as one (tests/limits.test.ts shows it). Each fragment is worked out once, so
 * fragments that spread each other twice over do not take 2^n steps.
 */
export function directivesRule(max: number): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions)
      if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const memo = new Map<string, number>();
    const count = (set: SelectionSetNode | undefined): number => {
      let n = 0;
      for (const s of set?.selections ?? []) {
        n += s.directives?.length ?? 0;
        if (s.kind !== Kind.FRAGMENT_SPREAD) n += count(s.selectionSet);
        else {
          const name = s.name.value;
          if (!memo.has(name)) {
            memo.set(name, 0); // a cycle counts as empty; NoFragmentCycles reports it
            memo.set(name, count(fragments.get(name)?.selectionSet));
          }
          n += memo.get(name) ?? 0;
        }
        if (n > Number.MAX_SAFE_INTEGER / 2) return n;
      }
      return n;
    };
    return {
      OperationDefinition(op) {
        let n = count(op.selectionSet) + (op.directives?.length ?? 0);
        for (const f of fragments.values()) n += f.directives?.length ?? 0;
        if (n > max)
          context.reportError(
            new ClientError('TOO_MANY_DIRECTIVES', `Query uses ${n} directives; the limit is ${max}.`),
          );
      },
    };
  };
}

/**
 * The document without introspection fields: they read no data, so they cost nothing (the plugin would
 * count each `__typename` as a field). What they select goes with them.
 */
function withoutIntrospection(document: DocumentNode): DocumentNode {
  return visit(document, {
    Field: (field) => (field.name.value.startsWith('__') ? null : undefined),
  });
}

export function useLimits(limits: Limits, introspection: boolean): Plugin[] {
  const shape: ValidationRule[] = [
    armored(maxDepthRule, { n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true }, (e) => {
      return new ClientError(
        'QUERY_TOO_DEEP',
        `Query depth ${found(e)} exceeds the limit of ${limits.maxDepth}.`,
      );
    }),
    // __typename counts like any alias: Armor would let any number of them through.
    armored(maxAliasesRule, { n: limits.maxAliases, allowList: [] }, (e) => {
      return new ClientError(
        'TOO_MANY_ALIASES',
        `Query uses ${found(e)} aliases; the limit is ${limits.maxAliases}.`,
      );
    }),
    directivesRule(limits.maxDirectives),
  ];
  const cost: Plugin = {
    // At execution, not validation: the cost depends on the variables (`first: $n`), and Yoga caches a
    // document's validation result for every request that sends it again.
    onExecute({ args, setResultAndStopExecution }) {
      const errors = validate(args.schema, withoutIntrospection(args.document), [
        createComplexityRule({
          context: args.contextValue,
          variableValues: (args.variableValues ?? {}) as Record<string, unknown>,
          operationName: args.operationName ?? undefined,
          validate(result, report) {
            if (result.complexity > limits.maxCost)
              report(
                new ClientError(
                  'QUERY_TOO_COSTLY',
                  `Query cost ${result.complexity} exceeds the limit of ${limits.maxCost}: ask for smaller pages (first, limit) or fewer nested lists.`,
                  { http: { status: 400 } },
                ),
              );
          },
        }),
      ]);
      if (errors.length) setResultAndStopExecution({ errors });
    },
  };
  return [
    maxTokensPlugin<YogaInitialContext>({
      n: limits.maxTokens,
      propagateOnRejection: false,
      onReject: [
        () => {
          throw new ClientError('QUERY_TOO_LARGE', `Query has more than ${limits.maxTokens} tokens.`, {
            http: { status: 400 },
          });
        },
      ],
    }),
    {
      onValidate({ addValidationRule }) {
        for (const rule of shape) addValidationRule(rule);
      },
    },
    cost,
    // Without introspection, "Did you mean ...?" would give the schema away field by field.
    ...(introspection ? [] : [blockFieldSuggestionsPlugin<YogaInitialContext>({ mask: '' })]),
  ];
}
