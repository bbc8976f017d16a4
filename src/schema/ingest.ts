import type { Context } from '../context.js';
import { FactsError, parseEntity, parseFacts } from '../facts/file.js';
import type { IngestReport, Resolution, UpsertReport } from '../graph/ingest.js';
import type { EntityRecord } from '../graph/records.js';
import { builder } from './builder.js';
import { ChangeRef, whoOf } from './changes.js';
import { ArticleRef, EntityKindEnum, EntityRef, EvidenceStatusEnum } from './entity.js';
import { ClientError } from './errors.js';

/*
 * Growing the graph: ingestArticle (an article and its facts, in the facts file's format) and upsertEntity.
 * Both validate with the facts reader (src/facts/file.ts), so a request and a file are held to the same rules
 * and their problems are named the same way, by their path in the input.
 */

/**
 * A document or entity refused: BAD_USER_INPUT with every problem at its path, CONFLICT for what the graph holds,
 * AMBIGUOUS with the candidates.
 */
export function refusedFacts(err: unknown, argument: string): unknown {
  if (!(err instanceof FactsError)) return err;
  const problems = err.problems.map((p) => ({
    path: p.path ? `${argument}.${p.path}` : argument,
    message: p.message,
  }));
  const message = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  if (err.refusal === 'ambiguous') {
    return new ClientError('AMBIGUOUS', message, { argument, problems, candidates: err.candidates });
  }
  return new ClientError(err.refusal === 'conflict' ? 'CONFLICT' : 'BAD_USER_INPUT', message, {
    argument,
    problems,
  });
}

/** An entity (or article) a write has just created or changed, read back for its payload. */
async function written(ctx: Context, id: string): Promise<EntityRecord> {
  const found = await ctx.graph.entity(id);
  if (!found) throw new Error(`${id} not found after its write`);
  return found;
}

const PropertiesInput = builder.inputType('EntityPropertiesInput', {
  description: "An entity's own properties; each kind takes only its own (a Company none).",
  fields: (t) => ({
    category: t.string({ description: 'Product.' }),
    priceUpToUsd: t.float({ description: 'Product.' }),
    features: t.stringList({ description: 'Product.' }),
    countryCode: t.string({ description: 'Market, City: ISO 3166-1 alpha-2.' }),
    role: t.string({ description: 'Person.' }),
    language: t.string({ description: 'Website: ISO 639-1.' }),
    launched: t.string({ description: 'Website.' }),
    officeType: t.string({ description: 'Office.' }),
    summary: t.string({ description: 'Statement.' }),
  }),
});

const EntityInput = builder.inputType('EntityInput', {
  description:
    'An entity as a facts file gives it. With an id it is that entity; without one it is found by its name and ' +
    'aliases among entities of its kind (folded: case and accents do not matter), or created.',
  fields: (t) => ({
    id: t.id({ description: 'e.g. "company:koma-trade"; leave out to resolve by name.' }),
    kind: t.field({ type: EntityKindEnum, required: true }),
    name: t.string({ required: true }),
    nameVi: t.string(),
    aliases: t.stringList(),
    description: t.string(),
    properties: t.field({ type: PropertiesInput }),
  }),
});

const EvidenceInput = builder.inputType('EvidenceInput', {
  fields: (t) => ({
    quote: t.string({ required: true, description: "The article's exact words." }),
    start: t.int({
      description: 'With end, chooses among several occurrences; found in the text when left out.',
    }),
    end: t.int(),
    status: t.field({ type: EvidenceStatusEnum, required: true }),
  }),
});

const RelationshipInput = builder.inputType('RelationshipInput', {
  fields: (t) => ({
    type: t.string({
      required: true,
      description: 'A relationship type of the model (MENTIONS is derived).',
    }),
    from: t.string({
      required: true,
      description: "An entity's id, or the name of one given without an id.",
    }),
    to: t.string({ required: true }),
    market: t.string({ description: 'The market it holds in (DISTRIBUTES).' }),
    evidence: t.field({ type: [EvidenceInput], required: true }),
  }),
});

const ArticleInput = builder.inputType('ArticleInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'e.g. "article:xiaomi-korea-vi".' }),
    title: t.string({ required: true }),
    titleVi: t.string(),
    language: t.string({ required: true, description: 'ISO 639-1, e.g. "vi".' }),
    text: t.string({ required: true, description: 'The whole text: quotes are checked against it.' }),
    url: t.string(),
    publishedAt: t.string({ description: 'YYYY-MM-DD.' }),
    publisher: t.string(),
  }),
});

const IngestArticleInput = builder.inputType('IngestArticleInput', {
  description: 'An article and its facts, in the format of a facts file (docs/api.md, "Growing the graph").',
  fields: (t) => ({
    article: t.field({ type: ArticleInput, required: true }),
    entities: t.field({ type: [EntityInput], required: true }),
    relationships: t.field({ type: [RelationshipInput], required: true }),
  }),
});

const ResolvedBy = builder.enumType('ResolvedBy', {
  values: {
    ID: { value: 'id', description: 'The input gave its id.' },
    NAME: { value: 'name', description: 'One of its spellings found it.' },
    NEW: { value: 'new', description: 'Nothing matched: created.' },
  } as const,
});

const EntityResolution = builder.objectRef<Resolution>('EntityResolution').implement({
  description: 'How an entity of the input was placed in the graph.',
  fields: (t) => ({
    entity: t.field({
      type: EntityRef,
      resolve: (r, _args, ctx) => written(ctx, r.id),
    }),
    by: t.field({ type: ResolvedBy, resolve: (r) => r.by }),
    spelling: t.exposeString('spelling', {
      nullable: true,
      description: 'The spelling that found it (by NAME).',
    }),
    index: t.exposeInt('index', { description: "Its place in the input's entities." }),
  }),
});

const IngestArticlePayload = builder.objectRef<IngestReport>('IngestArticlePayload').implement({
  fields: (t) => ({
    article: t.field({
      type: ArticleRef,
      resolve: (r, _args, ctx) => written(ctx, r.article),
    }),
    created: t.field({ type: [EntityResolution], resolve: (r) => r.created }),
    matched: t.field({ type: [EntityResolution], resolve: (r) => r.matched }),
    facts: t.exposeInt('relationships', { description: 'Facts in the input.' }),
    mentions: t.exposeInt('mentions', { description: 'Entities the article mentions.' }),
    retracted: t.exposeStringList('retracted', {
      description: 'Facts the article stated at its last ingest and no longer does, now retracted.',
    }),
    unsupported: t.exposeStringList('unsupported', {
      description:
        "Facts it no longer states that stay on other articles' evidence (its own evidence removed).",
    }),
    stillRetracted: t.exposeStringList('stillRetracted', {
      description: 'Facts of the input that were retracted before: an ingest never revives a retraction.',
    }),
    changed: t.exposeBoolean('changed', { description: 'False when the graph already held all of it.' }),
    change: t.field({
      type: ChangeRef,
      nullable: true,
      description: 'The Change recorded; null when nothing changed.',
      resolve: (r) => r.change,
    }),
  }),
});

const UpsertEntityPayload = builder.objectRef<UpsertReport>('UpsertEntityPayload').implement({
  fields: (t) => ({
    entity: t.field({
      type: EntityRef,
      resolve: (r, _args, ctx) => written(ctx, r.resolution.id),
    }),
    resolution: t.field({ type: EntityResolution, resolve: (r) => r.resolution }),
    created: t.boolean({ resolve: (r) => r.resolution.by === 'new' }),
    changed: t.exposeBoolean('changed'),
    change: t.field({
      type: ChangeRef,
      nullable: true,
      description: 'The Change recorded; null when nothing changed.',
      resolve: (r) => r.change,
    }),
  }),
});

/** GraphQL leaves unset optional fields undefined or null; the facts format wants them absent. */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, compact(v)]),
    );
  }
  return value;
}

builder.mutationField('ingestArticle', (t) =>
  t.field({
    type: IngestArticlePayload,
    description:
      'Ingests an article and its facts in one transaction: quotes are placed in the text, entities without an ' +
      'id are found by their spellings or created, the mentions of every known entity are linked, and facts ' +
      'the article stated at its last ingest and no longer does are retracted. The same input again changes nothing.',
    args: { input: t.arg({ type: IngestArticleInput, required: true }) },
    async resolve(_root, { input }, ctx) {
      try {
        const facts = parseFacts(compact(input), { name: 'input', dir: null });
        return await ctx.writes.ingestArticle(whoOf(ctx.viewer), facts);
      } catch (err) {
        throw refusedFacts(err, 'input');
      }
    },
  }),
);

builder.mutationField('upsertEntity', (t) =>
  t.field({
    type: UpsertEntityPayload,
    description:
      'Creates or updates an entity. With an id it is that entity, and the given name, description and ' +
      'properties replace its own (a replaced name stays as an alias). Without one it is found by its ' +
      'spellings among entities of its kind, gaining the spellings and properties it lacks, or created; a ' +
      'spelling of several entities is AMBIGUOUS. Aliases are only ever added.',
    args: { input: t.arg({ type: EntityInput, required: true }) },
    async resolve(_root, { input }, ctx) {
      try {
        const entity = parseEntity(compact(input), 'input');
        return await ctx.writes.upsertEntity(whoOf(ctx.viewer), entity);
      } catch (err) {
        throw refusedFacts(err, 'input');
      }
    },
  }),
);
