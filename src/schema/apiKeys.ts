import type { ApiKeyRecord } from '../graph/keys.js';
import { SCOPES } from '../keys/key.js';
import { builder } from './builder.js';

const ApiKeyScope = builder.enumType('ApiKeyScope', {
  description: 'What a key may do; each scope includes the ones before it.',
  values: Object.fromEntries(SCOPES.map((s) => [s.toUpperCase(), { value: s }])) as Record<
    'READ' | 'WRITE' | 'ADMIN',
    { value: (typeof SCOPES)[number] }
  >,
});

const ApiKey = builder.objectRef<ApiKeyRecord>('ApiKey').implement({
  description: 'An API key, as `npm run key -- list` shows it: never the key itself, nor its hash.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The id the key carries (`mg_<id>_<secret>`).' }),
    name: t.exposeString('name', { nullable: true }),
    scope: t.field({ type: ApiKeyScope, resolve: (k) => k.scope }),
    createdAt: t.exposeString('createdAt', { description: 'ISO 8601, UTC.' }),
    revokedAt: t.exposeString('revokedAt', {
      nullable: true,
      description: 'ISO 8601, UTC; null while the key works.',
    }),
  }),
});

builder.queryField('apiKeys', (t) =>
  t.field({
    type: [ApiKey],
    description: 'Every API key, oldest first. Needs a key with the admin scope.',
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => ctx.graph.apiKeys(),
  }),
);
