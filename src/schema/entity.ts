import {
  ENTITY_KINDS,
  type EntityKind,
  EVIDENCE_STATUSES,
  type EvidenceStatus,
  FACT_STATUSES,
  type FactStatus,
} from '../graph/model.js';
import {
  type EntityRecord,
  type EvidenceRecord,
  type RevocationRecord,
  withdrawalOf,
} from '../graph/records.js';
import { builder } from './builder.js';

export const EntityKindEnum = builder.enumType('EntityKind', {
  description: 'The kinds of entity in the graph; each is a Neo4j label and a GraphQL type.',
  values: Object.fromEntries(ENTITY_KINDS.map((k) => [k, { value: k }])) as Record<
    EntityKind,
    { value: EntityKind }
  >,
});

const statusDescriptions: Record<EvidenceStatus, string> = {
  confirmed: 'A party to the fact confirmed it (e.g. a company spokesperson).',
  stated: 'The article states it in its own voice.',
  reported: 'The article attributes it to others or to what is "known" (reports, opinions, findings).',
  speculated: 'A hypothesis or rumour in the article.',
};

export const EvidenceStatusEnum = builder.enumType('EvidenceStatus', {
  description:
    'How sure the source is of a fact, on a scale, strongest first: CONFIRMED > STATED > REPORTED > SPECULATED. ' +
    "Each quote has one; a relationship's status is the strongest of its quotes. `status: [...]` filters take " +
    'a set (exactly these statuses); `minStatus` takes a point on the scale (that status or stronger).',
  values: Object.fromEntries(
    EVIDENCE_STATUSES.map((s) => [s.toUpperCase(), { value: s, description: statusDescriptions[s] }]),
  ) as Record<Uppercase<EvidenceStatus>, { value: EvidenceStatus; description: string }>,
});

const factStatusDescriptions: Record<FactStatus, string> = {
  ...statusDescriptions,
  retracted:
    'Taken back: the fact stands no more, kept with its evidence and with who retracted it, when and why ' +
    '(`retraction`). Reads leave it out unless asked (`includeRetracted: true`).',
};

export const FactStatusEnum = builder.enumType('FactStatus', {
  description:
    "A relationship's status: the strongest status among its quotes (CONFIRMED > STATED > REPORTED > " +
    'SPECULATED), or RETRACTED once it has been retracted.',
  values: Object.fromEntries(
    FACT_STATUSES.map((s) => [s.toUpperCase(), { value: s, description: factStatusDescriptions[s] }]),
  ) as Record<Uppercase<FactStatus>, { value: FactStatus; description: string }>,
});

/** The argument every status filter takes beside `status`. */
export const MIN_STATUS_HELP =
  'Only relationships with at least one quote of this status or stronger, on the scale CONFIRMED > STATED > ' +
  'REPORTED > SPECULATED (STATED keeps CONFIRMED and STATED ones). With `status`, both must hold. Never ' +
  'admits a retracted relationship. Evidence still lists every quote.';

/** The argument beside every `minStatus`. */
export const INCLUDE_RETRACTED_HELP =
  'Also retracted relationships, which are left out by default: status RETRACTED, with who retracted them, ' +
  'when and why in `retraction`. Added to what `status` keeps; `minStatus` never admits them.';

const revocationFields = (what: string) =>
  builder.objectRef<RevocationRecord>(what).implement({
    fields: (t) => ({
      at: t.exposeString('at', { description: 'When, as an ISO 8601 date-time in UTC.' }),
      keyId: t.exposeString('keyId', {
        nullable: true,
        description: 'The id of the API key that did it; null when done from the command line.',
      }),
      by: t.exposeString('by', { nullable: true, description: 'The name of that key (who did it).' }),
      reason: t.exposeString('reason', { description: 'Why, in the words of whoever did it.' }),
    }),
  });

/** Who retracted a fact, when and why. */
export const RetractionRef = revocationFields('Retraction');
/** Who withdrew an article, when and why: the same fields as a Retraction. */
export const WithdrawalRef = revocationFields('Withdrawal');

export const EntityRef = builder.interfaceRef<EntityRecord>('Entity');
export const EvidenceRef = builder.objectRef<EvidenceRecord>('Evidence');

const refs = Object.fromEntries(ENTITY_KINDS.map((k) => [k, builder.objectRef<EntityRecord>(k)])) as Record<
  EntityKind,
  ReturnType<typeof builder.objectRef<EntityRecord>>
>;
export const EntityTypes = refs;
export const ArticleRef = refs.Article;

EntityRef.implement({
  description: 'Anything the graph knows by name: companies, products, markets, places, people, sources.',
  interfaces: [builder.nodeInterfaceRef()],
  resolveType: (e) => e.kind,
  fields: (t) => ({
    key: t.exposeString('id', {
      description: 'The id in the facts file (e.g. "company:xiaomi"): readable, and stable across reloads.',
    }),
    kind: t.field({ type: EntityKindEnum, resolve: (e) => e.kind }),
    name: t.exposeString('name', { description: 'The English name.' }),
    nameVi: t.exposeString('nameVi', {
      nullable: true,
      description: 'The Vietnamese name, where a source uses one.',
    }),
    aliases: t.exposeStringList('aliases', { description: 'Other names and spellings it is known by.' }),
    description: t.exposeString('description', { nullable: true }),
  }),
});

EvidenceRef.implement({
  description: 'Where a fact comes from: the exact words of the source and how sure the source is.',
  fields: (t) => ({
    quote: t.exposeString('quote', { description: 'The exact text of the article between start and end.' }),
    start: t.exposeInt('start', { description: 'Character offset of the quote in the article text.' }),
    end: t.exposeInt('end', { description: 'Character offset just after the quote (exclusive).' }),
    status: t.field({ type: EvidenceStatusEnum, resolve: (e) => e.status }),
    prefix: t.exposeString('prefix', {
      nullable: true,
      description:
        'Up to 32 characters of the article just before the quote, to find it again should the text change ' +
        '(with `suffix`, a W3C TextQuoteSelector); null for evidence stored without it.',
    }),
    suffix: t.exposeString('suffix', {
      nullable: true,
      description:
        'Up to 32 characters of the article just after the quote; null for evidence stored without it.',
    }),
    article: t.field({
      type: ArticleRef,
      resolve: async (e, _args, ctx) => {
        const article = await ctx.graph.entity(e.articleId);
        if (!article) throw new Error(`evidence points at missing article ${e.articleId}`);
        return article;
      },
    }),
  }),
});

type EntityObjectRef = (typeof refs)[EntityKind];
const prop = <T>(e: EntityRecord, name: string) => (e.props[name] as T | undefined) ?? null;

/** The properties some kinds have beyond the Entity fields. */
function addKindFields(kind: EntityKind, ref: EntityObjectRef): void {
  const str = (name: string, description: string) =>
    builder.objectField(ref, name, (t) =>
      t.string({ nullable: true, description, resolve: (e) => prop<string>(e, name) }),
    );
  switch (kind) {
    case 'Product':
      str('category', 'What sort of product it is, e.g. "smart TV".');
      builder.objectFields(ref, (t) => ({
        priceUpToUsd: t.float({
          nullable: true,
          description: 'The highest price the source gives, in US dollars.',
          resolve: (e) => prop<number>(e, 'priceUpToUsd'),
        }),
        features: t.stringList({ resolve: (e) => prop<string[]>(e, 'features') ?? [] }),
      }));
      break;
    case 'Market':
    case 'City':
      str('countryCode', 'ISO 3166-1 alpha-2 code of the country.');
      break;
    case 'Person':
      str('role', 'What the person does, as the source describes it.');
      break;
    case 'Website':
      str('language', 'ISO 639-1 language of the site.');
      str('launched', 'When it went live, as the source says.');
      break;
    case 'Office':
      str('officeType', 'e.g. "representative office".');
      break;
    case 'Statement':
      str('summary', 'What was said, in one English sentence.');
      break;
    case 'Article':
      str('title', 'The English title.');
      str('language', 'ISO 639-1 language of the text.');
      str('url', 'Where the article was published, when known.');
      str('publishedAt', 'When it was published (ISO date, YYYY-MM-DD), when known.');
      str('publisher', 'Who published it, when known.');
      builder.objectFields(ref, (t) => ({
        text: t.string({
          description: 'The full text that evidence offsets point into.',
          resolve: (e) => prop<string>(e, 'text') ?? '',
        }),
        withdrawal: t.field({
          type: WithdrawalRef,
          nullable: true,
          description:
            'Who withdrew the article, when and why; null while it stands. Its facts that no other article ' +
            'supports were retracted with it.',
          resolve: (e) => withdrawalOf(e.props),
        }),
      }));
      break;
    case 'Company':
      break;
  }
}

for (const kind of ENTITY_KINDS) {
  builder.node(refs[kind], {
    interfaces: [EntityRef],
    id: { resolve: (e) => e.id },
    isTypeOf: (e) => (e as EntityRecord).kind === kind,
    loadMany: async (ids, ctx) => {
      const found = await ctx.graph.entities(ids);
      return found.map((e) => (e?.kind === kind ? e : null));
    },
  });
  addKindFields(kind, refs[kind]);
}
