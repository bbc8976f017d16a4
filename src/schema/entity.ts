import { ENTITY_KINDS, type EntityKind, EVIDENCE_STATUSES, type EvidenceStatus } from '../graph/model.js';
import type { EntityRecord, EvidenceRecord } from '../graph/records.js';
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

/** The argument every status filter takes beside `status`. */
export const MIN_STATUS_HELP =
  'Only relationships with at least one quote of this status or stronger, on the scale CONFIRMED > STATED > ' +
  'REPORTED > SPECULATED (STATED keeps CONFIRMED and STATED ones). With `status`, both must hold. Evidence ' +
  'still lists every quote.';

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
      builder.objectField(ref, 'text', (t) =>
        t.string({
          description: 'The full text that evidence offsets point into.',
          resolve: (e) => prop<string>(e, 'text') ?? '',
        }),
      );
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
