import type { AuthFailure, ForbiddenResult } from '@pothos/plugin-scope-auth';
import type { GraphQLResolveInfo } from 'graphql';
import type { AuthContext, Context } from '../context.js';
import { grants, SCOPES, type Scope } from '../keys/key.js';
import { forbidden, unauthenticated } from './errors.js';

/** The scopes fields ask for (`authScopes: { admin: true }`): what the request's key allows. */
export function authScopes(ctx: AuthContext): Record<Scope, boolean> {
  const has = (scope: Scope) => ctx.viewer !== null && grants(ctx.viewer.scope, scope);
  return {
    // With READ_ACCESS=open anyone reads; with READ_ACCESS=key a key of any scope does.
    read: ctx.readAccess === 'open' || has('read'),
    write: has('write'),
    admin: has('admin'),
  };
}

/** The scopes a refusal names, however the plugin nests them. */
function scopesOf(failure: AuthFailure): string[] {
  if (failure.kind === 'AuthScope') return [failure.scope];
  if (failure.kind === 'AnyAuthScopes' || failure.kind === 'AllAuthScopes')
    return failure.failures.flatMap(scopesOf);
  return [];
}

/**
 * What a client sees when a field's scopes refuse it: UNAUTHENTICATED (401) without a key, FORBIDDEN (403)
 * with a key whose scope is not enough. Both name the scope that would do.
 */
export function authError(ctx: Context, info: GraphQLResolveInfo, result: ForbiddenResult): Error {
  const named = scopesOf(result.failure);
  // The lowest scope that would do: with `any`, one is enough; `all` of them are granted by the highest anyway.
  const needed = SCOPES.find((s) => named.includes(s)) ?? 'read';
  const field = `${info.parentType.name}.${info.fieldName}`;
  if (ctx.viewer === null) {
    return unauthenticated(`${field} needs an API key with the ${needed} scope.`, false);
  }
  return forbidden(
    `${field} needs an API key with the ${needed} scope; this key has ${ctx.viewer.scope}.`,
    needed,
  );
}
