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
  type ValueNode,
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

/** Walks an operation's selections with fragments inlined (each fragment once per path, so cycles end). */
function walk(
  set: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  visit: (field: FieldNode, depth: number) => boolean,
  depth = 1,
  seen: ReadonlySet<string> = new Set(),
): void {
  for (const s of set?.selections ?? []) {
    if (s.kind === Kind.FIELD) {
      if (visit(s, depth)) walk(s.selectionSet, fragments, visit, depth + 1, seen);
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      walk(s.selectionSet, fragments, visit, depth, seen);
    } else if (!seen.has(s.name.value)) {
      walk(
        fragments.get(s.name.value)?.selectionSet,
        fragments,
        visit,
        depth,
        new Set([...seen, s.name.value]),
      );
    }
  }
}

/** Depth, aliases and directives per operation; introspection fields (GraphiQL's schema query) are not counted for depth. */
export function shapeRules(limits: Limits) {
  const rule = (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(op: OperationDefinitionNode) {
      const fragments = fragmentsOf(context);
      let depth = 0;
      let aliases = 0;
      let directives = op.directives?.length ?? 0;
      walk(op.selectionSet, fragments, (field, d) => {
        if (field.name.value.startsWith('__')) return false;
        depth = Math.max(depth, d);
        if (field.alias) aliases += 1;
        directives += field.directives?.length ?? 0;
        return true;
      });
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
  });
  return [rule];
}

/** How many items one evaluation of a field may return, for the cost estimate. */
const LIST_DEFAULTS: Record<string, number> = { first: 20, limit: 100 };
const FIELD_FIRST_DEFAULTS: Record<string, number> = { search: 10, allShortestPaths: 5 };
/** List fields whose size was already counted on the field that pages them. */
const COUNTED_BY_PARENT = new Set(['edges', 'nodes', 'hops']);
const OTHER_LIST = 10;

function argNumber(field: FieldNode, name: string, variables: Record<string, unknown>): number | undefined {
  const arg = field.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  const v: ValueNode = arg.value;
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.VARIABLE) {
    const value = variables[v.name.value];
    return typeof value === 'number' ? value : undefined;
  }
  return undefined;
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
        total +=
          mult + cost(s.selectionSet, getNamedType(def.type), mult * listSize(s, def, variables), seen);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const t = s.typeCondition ? schema.getType(s.typeCondition.name.value) : type;
        total += cost(s.selectionSet, t, mult, seen);
      } else if (!seen.has(s.name.value)) {
        const f = fragments.get(s.name.value);
        if (f)
          total += cost(
            f.selectionSet,
            schema.getType(f.typeCondition.name.value),
            mult,
            new Set([...seen, s.name.value]),
          );
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
