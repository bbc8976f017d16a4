import {
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  valueFromASTUntyped,
} from 'graphql';

export interface Limits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDepth: 10,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 2000,
  maxCost: 50_000,
};

function limitError(code: string, message: string, node?: OperationDefinitionNode | FieldNode): GraphQLError {
  return new GraphQLError(message, { nodes: node ? [node] : undefined, extensions: { code } });
}

function fragmentsOf(context: ValidationContext): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const d of context.getDocument().definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) map.set(d.name.value, d);
  return map;
}

interface Shape {
  depth: number;
  aliases: number;
  directives: number;
}

/**
 * Depth, aliases and directives of a selection set with fragments inlined. Each fragment's shape is worked
 * out once: inlining it afresh at every spread would take 2^n steps for n fragments that each spread the
 * next one twice (a few hundred tokens). A fragment inside its own cycle counts as empty; NoFragmentCycles
 * reports the cycle. Introspection fields (GraphiQL's schema query is deep) add nothing to the depth, but
 * their aliases and directives count like any others.
 */
function shapeOf(
  set: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  memo: Map<string, Shape | null>,
): Shape {
  const shape: Shape = { depth: 0, aliases: 0, directives: 0 };
  const add = (inner: Shape, depth: number) => {
    shape.depth = Math.max(shape.depth, depth);
    shape.aliases += inner.aliases;
    shape.directives += inner.directives;
  };
  for (const s of set?.selections ?? []) {
    shape.directives += s.directives?.length ?? 0;
    if (s.kind === Kind.FIELD) {
      if (s.alias) shape.aliases += 1;
      const inner = shapeOf(s.selectionSet, fragments, memo);
      add(inner, s.name.value.startsWith('__') ? 0 : 1 + inner.depth);
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      const inner = shapeOf(s.selectionSet, fragments, memo);
      add(inner, inner.depth);
    } else {
      const name = s.name.value;
      if (!memo.has(name)) {
        memo.set(name, null);
        memo.set(name, shapeOf(fragments.get(name)?.selectionSet, fragments, memo));
      }
      const inner = memo.get(name) ?? { depth: 0, aliases: 0, directives: 0 };
      add(inner, inner.depth);
    }
  }
  return shape;
}

/** Depth, aliases and directives per operation; introspection fields (GraphiQL's schema query) are not counted for depth. */
export function shapeRules(limits: Limits) {
  const rule = (context: ValidationContext): ASTVisitor => {
    const memo = new Map<string, Shape | null>();
    return {
      OperationDefinition(op: OperationDefinitionNode) {
        const fragments = fragmentsOf(context);
        const { depth, aliases, directives: inSelections } = shapeOf(op.selectionSet, fragments, memo);
        let directives = inSelections + (op.directives?.length ?? 0);
        for (const f of fragments.values()) directives += f.directives?.length ?? 0;
        if (depth > limits.maxDepth) {
          context.reportError(
            limitError('QUERY_TOO_DEEP', `Query depth ${depth} exceeds the limit of ${limits.maxDepth}.`, op),
          );
        }
        if (aliases > limits.maxAliases) {
          context.reportError(
            limitError(
              'TOO_MANY_ALIASES',
              `Query uses ${aliases} aliases; the limit is ${limits.maxAliases}.`,
              op,
            ),
          );
        }
        if (directives > limits.maxDirectives) {
          context.reportError(
            limitError(
              'TOO_MANY_DIRECTIVES',
              `Query uses ${directives} directives; the limit is ${limits.maxDirectives}.`,
              op,
            ),
          );
        }
      },
    };
  };
  return [rule];
}

/** How many items one evaluation of a field may return, for the cost estimate. */
const LIST_DEFAULTS: Record<string, number> = { first: 20, limit: 100 };
const FIELD_FIRST_DEFAULTS: Record<string, number> = { search: 10, allShortestPaths: 5 };
/**
 * The most any field accepts (connections take `first` up to 100, neighborhood `limit` up to 500). A larger
 * or negative size is refused by the resolver before it reads anything, so it counts as this or as 0:
 * `first: 1000000` gets the resolver's BAD_USER_INPUT naming `first`, and `first: -100` cannot cancel the
 * cost of a sibling.
 */
const LIST_MAX: Record<string, number> = { first: 100, limit: 500 };
/** List fields whose size was already counted on the field that pages them. */
const COUNTED_BY_PARENT = new Set(['edges', 'nodes', 'hops']);
const OTHER_LIST = 10;

function argValue(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value, variables) : undefined;
}

function argNumber(field: FieldNode, name: string, variables: Record<string, unknown>): number | undefined {
  const value = argValue(field, name, variables);
  if (typeof value !== 'number' || Number.isNaN(value)) return undefined;
  return Math.min(Math.max(value, 0), LIST_MAX[name] ?? value);
}

function listSize(
  field: FieldNode,
  def: GraphQLField<unknown, unknown>,
  variables: Record<string, unknown>,
): number {
  const first = def.args.some((a) => a.name === 'first');
  if (first)
    return (
      argNumber(field, 'first', variables) ?? FIELD_FIRST_DEFAULTS[def.name] ?? LIST_DEFAULTS.first ?? 20
    );
  if (def.args.some((a) => a.name === 'limit'))
    return argNumber(field, 'limit', variables) ?? LIST_DEFAULTS.limit ?? 100;
  if (!isListType(getNullableType(def.type))) return 1;
  // One item per id asked for (Query.nodes), however many come in through a variable.
  if (def.args.some((a) => a.name === 'ids')) {
    const ids = argValue(field, 'ids', variables);
    return Array.isArray(ids) ? ids.length : 1;
  }
  return COUNTED_BY_PARENT.has(def.name) ? 1 : OTHER_LIST;
}

/**
 * An estimate of the fields a request may resolve: every field costs one per parent instance, and a list
 * multiplies the cost of what it selects by its size (`first`, `limit`, or 10 for other lists).
 */
export function estimateCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  // Variables left out take their declared default, as execution will.
  const values: Record<string, unknown> = { ...variables };
  for (const v of operation.variableDefinitions ?? []) {
    const name = v.variable.name.value;
    if (values[name] === undefined && v.defaultValue) values[name] = valueFromASTUntyped(v.defaultValue);
  }
  // A fragment's cost per instance of its parent, worked out once (see shapeOf for why).
  const fragmentCosts = new Map<string, number>();
  const fragmentCost = (name: string, seen: ReadonlySet<string>): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    const f = fragments.get(name);
    const c = f
      ? cost(f.selectionSet, schema.getType(f.typeCondition.name.value), 1, new Set([...seen, name]))
      : 0;
    fragmentCosts.set(name, c);
    return c;
  };
  const cost = (
    set: SelectionSetNode | undefined,
    type: GraphQLNamedType | null | undefined,
    mult: number,
    seen: ReadonlySet<string>,
  ): number => {
    if (!set || !type) return 0;
    let total = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value.startsWith('__')) continue;
        const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
        const def = fields[s.name.value];
        if (!def) continue;
        total += mult + cost(s.selectionSet, getNamedType(def.type), mult * listSize(s, def, values), seen);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const t = s.typeCondition ? schema.getType(s.typeCondition.name.value) : type;
        total += cost(s.selectionSet, t, mult, seen);
      } else if (mult > 0 && !seen.has(s.name.value)) {
        total += mult * fragmentCost(s.name.value, seen);
      }
      if (total > Number.MAX_SAFE_INTEGER / 2) return total;
    }
    return total;
  };
  return cost(operation.selectionSet, root, 1, new Set());
}

export function costError(cost: number, max: number): GraphQLError {
  return limitError(
    'QUERY_TOO_COSTLY',
    `Query cost ${Math.round(cost)} exceeds the limit of ${max}: ask for smaller pages (first, limit) or fewer nested lists.`,
  );
}
