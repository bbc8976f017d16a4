import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { Context } from '../context.js';
import { authError, authScopes } from './auth.js';
import { defaultComplexity } from './cost.js';
import SuggestionsPlugin from './suggestions.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  AuthScopes: { read: boolean; write: boolean; admin: boolean };
}>({
  defaultFieldNullability: false,
  // Scope auth first: a field its scopes refuse runs nothing of the other plugins (nor reads the graph).
  plugins: [ScopeAuthPlugin, ComplexityPlugin, RelayPlugin, SuggestionsPlugin],
  // The request's key is checked by the HTTP edge (src/http/auth.ts); here only what its scope allows.
  scopeAuth: {
    authScopes,
    unauthorizedError: (_parent, ctx, info, result) => authError(ctx, info, result),
  },
  complexity: {
    fieldComplexity: defaultComplexity,
    // The cost is checked once per request by the HTTP edge, as a validation rule with the request's
    // variables and its own limit; nothing is checked again in each root resolver.
    disabled: true,
  },
  // A name that means nothing: the NOT_FOUND names what search finds for it (src/schema/suggestions.ts).
  suggestions: { namesFor: (ctx, term, kind) => ctx.graph.suggestNames(term, kind) },
  relay: {
    // Query.nodes is src/schema/lookup.ts's: the plugin's decodes every id before its resolver runs, so one
    // malformed id would fail the whole list.
    nodesQueryOptions: false,
    // Query.node likewise, so a well-formed id of no entity kind is null rather than an error.
    nodeQueryOptions: false,
  },
});

builder.queryType({
  description: 'Questions about companies, products and markets, each fact with its evidence.',
  // Every question reads: open to anyone unless READ_ACCESS=key.
  authScopes: { read: true },
});

builder.mutationType({
  description:
    'Writes: each mutation is one transaction that records a Change, and needs an API key with the write scope.',
  authScopes: { write: true },
});
