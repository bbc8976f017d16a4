import type { Viewer } from '../context.js';
import type { ChangeRecord, Who } from '../graph/changes.js';
import { builder } from './builder.js';
import { sizedBy } from './cost.js';
import { badInput } from './errors.js';
import { bounded, PAGE, rangeOf } from './paging.js';

/** Who a write is recorded as: the request's key (a mutation never runs without one: its scope needs it). */
export function whoOf(viewer: Viewer | null): Who {
  return { keyId: viewer?.keyId ?? null, name: viewer?.name ?? null };
}

const Count = builder.objectRef<{ name: string; value: number }>('ChangeCount').implement({
  fields: (t) => ({ name: t.exposeString('name'), value: t.exposeInt('value') }),
});

export const ChangeRef = builder.objectRef<ChangeRecord>('Change').implement({
  description:
    'One write, recorded in the transaction that made it: who, when, which mutation, what it touched.',
  fields: (t) => ({
    id: t.exposeID('id', {
      description: 'Starts with the time of the write, so ids sort as the writes happened.',
    }),
    at: t.exposeString('at', { description: 'ISO 8601, UTC.' }),
    mutation: t.exposeString('mutation', { description: 'ingestArticle, upsertEntity, addFact, ...' }),
    keyId: t.exposeString('keyId', {
      nullable: true,
      description: "The API key's id; null for `npm run ingest` on the server.",
    }),
    keyName: t.exposeString('keyName', { nullable: true }),
    touched: t.exposeStringList('touched', {
      description: 'Ids of the entities, articles and relationships it created or changed.',
    }),
    counts: t.field({
      type: [Count],
      resolve: (c) => Object.entries(c.counts).map(([name, value]) => ({ name, value })),
    }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

const ChangePage = builder
  .objectRef<{ changes: ChangeRecord[]; hasNextPage: boolean }>('ChangePage')
  .implement({
    fields: (t) => ({
      nodes: t.field({ type: [ChangeRef], resolve: (p) => p.changes }),
      endCursor: t.string({
        nullable: true,
        description: 'Pass as `after` for the next page.',
        resolve: (p) => p.changes.at(-1)?.id ?? null,
      }),
      hasNextPage: t.exposeBoolean('hasNextPage'),
    }),
  });

builder.queryField('changes', (t) =>
  t.field({
    type: ChangePage,
    description: 'The log of writes, newest first. Needs a key with the admin scope.',
    authScopes: { admin: true },
    args: {
      first: t.arg.int({ description: rangeOf(PAGE) }),
      after: t.arg.string({ description: "The previous page's endCursor." }),
    },
    complexity: sizedBy('first', PAGE),
    async resolve(_root, args, ctx) {
      const first = bounded(args.first, 'first', PAGE);
      if (args.after != null && !/^\d{4}-\d\d-\d\dT[\d:.]+Z~[0-9a-f]{12}$/.test(args.after)) {
        throw badInput(`after is not a cursor this list gave out: "${args.after.slice(0, 60)}".`, 'after');
      }
      const rows = await ctx.graph.changes(first, args.after ?? null);
      return { changes: rows.slice(0, first), hasNextPage: rows.length > first };
    },
  }),
);
