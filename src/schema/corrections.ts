import type { Context } from '../context.js';
import {
  type AddFactResult,
  CorrectionError,
  type CorrectionProblem,
  EntityNotFoundError,
  type MergeResult,
  type RetractResult,
  type WithdrawResult,
} from '../graph/corrections.js';
import type { EvidenceStatus } from '../graph/model.js';
import type { RelationRecord } from '../graph/records.js';
import { builder } from './builder.js';
import { ChangeRef, whoOf } from './changes.js';
import {
  ArticleRef,
  EntityRef,
  EntityTypes,
  EvidenceRef,
  EvidenceStatusEnum,
  FactStatusEnum,
  RetractionRef,
} from './entity.js';
import { ClientError, NameNotFound } from './errors.js';

/*
 * The corrections: addFact, retractFact, mergeEntities, withdrawArticle (src/graph/corrections.ts does the
 * work, one transaction each). The mutation type asks for the write scope; here only the types and the
 * mapping of refusals to the codes a client sees.
 */

const CODES: Record<CorrectionProblem, string> = {
  invalid: 'BAD_USER_INPUT',
  missing: 'NOT_FOUND',
  ambiguous: 'AMBIGUOUS',
  conflict: 'CONFLICT',
};

/** A name that means no entity, for the suggestions plugin; the NOT_FOUND it becomes still names the argument. */
class ArgumentNameNotFound extends NameNotFound {
  constructor(private readonly e: EntityNotFoundError) {
    const [only] = e.kinds ?? [];
    super(e.term, e.what, e.kinds?.length === 1 && only ? only : null);
    Object.assign(this.extensions, { argument: e.argument });
  }

  override withSuggestions(names: readonly string[]): ClientError {
    const base = super.withSuggestions(names);
    return new ClientError('NOT_FOUND', base.message, { ...base.extensions, argument: this.e.argument });
  }
}

/** A correction refused: the ClientError with its code and the argument that was wrong; anything else as is. */
async function refused<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof EntityNotFoundError) throw new ArgumentNameNotFound(err);
    if (err instanceof CorrectionError) {
      throw new ClientError(CODES[err.problem], err.message, { argument: err.argument, ...err.details });
    }
    throw err;
  }
}

async function entityOf(ctx: Context, id: string) {
  const entity = await ctx.graph.entity(id);
  if (!entity) throw new Error(`fact end ${id} is not in the graph`);
  return entity;
}

export const FactRef = builder.objectRef<RelationRecord>('Fact').implement({
  description: 'A relationship between two entities, with the evidence for it, as a correction leaves it.',
  fields: (t) => ({
    id: t.exposeID('id', {
      description: 'The relationship id, `from|TYPE|to[|market]` (what retractFact takes).',
    }),
    type: t.exposeString('type', { description: 'The relationship type, e.g. DISTRIBUTES.' }),
    status: t.field({
      type: FactStatusEnum,
      description: 'The strongest status among the evidence, or RETRACTED.',
      resolve: (f) => f.status,
    }),
    retraction: t.field({
      type: RetractionRef,
      nullable: true,
      description: 'Who retracted it, when and why; null while it stands.',
      resolve: (f) => f.retraction,
    }),
    from: t.field({ type: EntityRef, resolve: (f, _args, ctx) => entityOf(ctx, f.from) }),
    to: t.field({ type: EntityRef, resolve: (f, _args, ctx) => entityOf(ctx, f.to) }),
    market: t.field({
      type: EntityTypes.Market,
      nullable: true,
      description: 'The market it holds in (DISTRIBUTES).',
      resolve: (f, _args, ctx) => (f.marketId ? ctx.graph.entity(f.marketId) : null),
    }),
    evidence: t.field({ type: [EvidenceRef], resolve: (f) => f.evidence }),
  }),
});

const AddFactInput = builder.inputType('AddFactInput', {
  description:
    'A fact and one piece of evidence for it: a quote of an article already in the graph. Entities are named by ' +
    'id or by any name or alias (as reads take them); the kinds must be those the type joins.',
  fields: (t) => ({
    type: t.string({
      required: true,
      description:
        'A relationship type of the model (MANUFACTURES, DISTRIBUTES, SELLS_IN, ...); not MENTIONS.',
    }),
    from: t.string({ required: true, description: 'The entity it goes from: an id, name or alias.' }),
    to: t.string({ required: true, description: 'The entity it goes to: an id, name or alias.' }),
    market: t.string({ description: 'The market it holds in: required for DISTRIBUTES, refused otherwise.' }),
    article: t.id({
      required: true,
      description: 'The id of the article quoted, e.g. "article:xiaomi-korea-vi".',
    }),
    quote: t.string({
      required: true,
      description: "The article's exact words (compared after NFC normalisation).",
    }),
    start: t.int({
      description:
        'Where the quote starts in the article text (UTF-16 offset); with end, to choose among occurrences. ' +
        'Without them the quote must occur exactly once.',
    }),
    end: t.int({ description: 'Just after the quote (exclusive); given with start.' }),
    status: t.field({ type: EvidenceStatusEnum, required: true, description: 'How sure the source is.' }),
  }),
});

const AddFactPayload = builder.objectRef<AddFactResult>('AddFactPayload').implement({
  fields: (t) => ({
    fact: t.field({ type: FactRef, resolve: (r) => r.fact }),
    created: t.exposeBoolean('created', { description: 'The relationship is new.' }),
    changed: t.boolean({
      description: 'Anything was written: false for the same evidence again, which changes nothing.',
      resolve: (r) => r.evidence !== 'unchanged',
    }),
    change: t.field({
      type: ChangeRef,
      nullable: true,
      description:
        'The Change recorded; null when nothing changed (nothing was written, so nothing is logged).',
      resolve: (r) => r.change,
    }),
  }),
});

const RetractFactPayload = builder.objectRef<RetractResult>('RetractFactPayload').implement({
  fields: (t) => ({
    fact: t.field({ type: FactRef, resolve: (r) => r.fact }),
    change: t.field({ type: ChangeRef, resolve: (r) => r.change }),
  }),
});

const MovedRelationship = builder.objectRef<{ from: string; to: string }>('MovedRelationship').implement({
  description: "A relationship of the merged entity and its id on the kept one (joined with the kept's own).",
  fields: (t) => ({
    from: t.exposeID('from', { description: 'Its id before the merge.' }),
    to: t.exposeID('to', { description: 'Its id now.' }),
  }),
});

const MergeEntitiesPayload = builder.objectRef<MergeResult>('MergeEntitiesPayload').implement({
  fields: (t) => ({
    entity: t.field({
      type: EntityRef,
      description: 'The kept entity, as it is now.',
      resolve: (r) => r.entity,
    }),
    mergedId: t.exposeString('mergedId', {
      description: 'The id of the entity merged away: it (and its global id) now resolve to the kept entity.',
    }),
    moved: t.field({ type: [MovedRelationship], resolve: (r) => r.moved }),
    combined: t.exposeInt('combined', {
      description:
        'How many moved relationships joined one the kept entity had (evidence joined, no duplicates).',
    }),
    aliasesAdded: t.exposeStringList('aliasesAdded'),
    change: t.field({ type: ChangeRef, resolve: (r) => r.change }),
  }),
});

const WithdrawArticlePayload = builder.objectRef<WithdrawResult>('WithdrawArticlePayload').implement({
  fields: (t) => ({
    article: t.field({ type: ArticleRef, resolve: (r) => r.article }),
    retracted: t.exposeIDList('retracted', {
      description: 'Facts retracted with it: no other article (still standing) supports them.',
    }),
    kept: t.exposeIDList('kept', {
      description: 'Facts it supported that stay, on the evidence of other articles.',
    }),
    change: t.field({ type: ChangeRef, resolve: (r) => r.change }),
  }),
});

builder.mutationField('addFact', (t) =>
  t.field({
    type: AddFactPayload,
    description:
      'Adds a fact with one piece of evidence, checked against the stored text of the article: the quote must ' +
      'be there (at start..end when given, else exactly once). Adding evidence already there changes nothing. ' +
      'A retracted fact is not revived: CONFLICT naming the retraction.',
    args: { input: t.arg({ type: AddFactInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      refused(
        ctx.writes.addFact(whoOf(ctx.viewer), {
          ...input,
          article: String(input.article),
          status: input.status as EvidenceStatus,
        }),
      ),
  }),
);

builder.mutationField('retractFact', (t) =>
  t.field({
    type: RetractFactPayload,
    description:
      'Retracts a fact: it stays, with its evidence, as RETRACTED with who, when and why, and reads leave it ' +
      'out unless asked. Retracting it again is a CONFLICT naming the first retraction.',
    args: {
      id: t.arg.id({ required: true, description: 'The relationship id, `from|TYPE|to[|market]`.' }),
      reason: t.arg.string({ required: true, description: 'Why (kept with the fact and in the Change).' }),
    },
    resolve: (_root, args, ctx) =>
      refused(ctx.writes.retractFact(whoOf(ctx.viewer), String(args.id), args.reason)),
  }),
);

builder.mutationField('mergeEntities', (t) =>
  t.field({
    type: MergeEntitiesPayload,
    description:
      'Merges two entities of one kind that are the same thing: relationships, evidence, spellings and aliases ' +
      "move to `keep`, properties it lacks are copied, and `merge`'s id and global id keep resolving to it.",
    args: {
      keep: t.arg.string({ required: true, description: 'The entity that stays: an id, name or alias.' }),
      merge: t.arg.string({
        required: true,
        description: 'The entity merged into it: an id, name or alias.',
      }),
    },
    resolve: (_root, args, ctx) =>
      refused(ctx.writes.mergeEntities(whoOf(ctx.viewer), args.keep, args.merge)),
  }),
);

builder.mutationField('withdrawArticle', (t) =>
  t.field({
    type: WithdrawArticlePayload,
    description:
      'Withdraws an article (who, when, why): every fact only it supports is retracted with it; facts other ' +
      'articles support stay. Its text and evidence are kept.',
    args: {
      id: t.arg.id({ required: true, description: 'The article id, e.g. "article:xiaomi-korea-vi".' }),
      reason: t.arg.string({ required: true, description: 'Why (kept on the article and in the Change).' }),
    },
    resolve: (_root, args, ctx) =>
      refused(ctx.writes.withdrawArticle(whoOf(ctx.viewer), String(args.id), args.reason)),
  }),
);
