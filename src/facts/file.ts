import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type {
  EntitiesDocument,
  EvidenceItem,
  FactEntity,
  FactRelationship,
  Facts,
  FactsDocument,
} from '../graph/ingest.js';
import {
  type EntityKind,
  EVIDENCE_STATUSES,
  FACT_KINDS,
  FACT_RELATIONSHIP_TYPES,
  relationshipSpec,
} from '../graph/model.js';
import { foldName } from '../graph/names.js';
import { anchorsOf, locateQuote } from '../graph/quotes.js';

const text = z.string().trim().min(1);
const id = z.string().regex(/^[a-z]+:[a-z0-9]+(?:-[a-z0-9]+)*$/, 'an id like "company:koma-trade"');

const propertiesByKind = {
  Company: z.object({}).strict(),
  Product: z
    .object({ category: text, priceUpToUsd: z.number().positive(), features: z.array(text) })
    .partial()
    .strict(),
  Market: z
    .object({ countryCode: z.string().regex(/^[A-Z]{2}$/) })
    .partial()
    .strict(),
  City: z
    .object({ countryCode: z.string().regex(/^[A-Z]{2}$/) })
    .partial()
    .strict(),
  Person: z.object({ role: text }).partial().strict(),
  Website: z
    .object({ language: z.string().regex(/^[a-z]{2}$/), launched: text })
    .partial()
    .strict(),
  Office: z.object({ officeType: text }).partial().strict(),
  Statement: z.object({ summary: text }).partial().strict(),
} satisfies Record<(typeof FACT_KINDS)[number], z.ZodType>;

const EvidenceSchema = z
  .object({
    quote: z.string().min(1),
    start: z.number().int().nonnegative().optional(),
    end: z.number().int().positive().optional(),
    status: z.enum(EVIDENCE_STATUSES),
  })
  .strict()
  .refine((e) => (e.start === undefined) === (e.end === undefined), {
    message: 'give both start and end, or neither (the quote is then found in the article)',
    path: ['start'],
  })
  .refine((e) => e.start === undefined || e.end === undefined || e.end > e.start, {
    message: 'end must be greater than start',
    path: ['end'],
  });

/** Who withdrew or retracted something, and when and why (written by export, so a round trip keeps it). */
const RevocationSchema = z
  .object({
    at: z.string().datetime({ offset: true }),
    keyId: z.string().min(1).nullable().default(null),
    by: z.string().min(1).nullable().default(null),
    reason: text,
  })
  .strict();

const EntitySchema = z
  .object({
    id: id.optional(),
    kind: z.enum(FACT_KINDS),
    name: text,
    nameVi: text.optional(),
    aliases: z.array(text).default([]),
    description: text.optional(),
    properties: z.record(z.string(), z.unknown()).default({}),
    mergedIds: z.array(id).default([]),
  })
  .strict()
  .superRefine((e, ctx) => {
    const parsed = propertiesByKind[e.kind].safeParse(e.properties);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['properties', ...issue.path] });
      }
    }
  });

const RelationshipSchema = z
  .object({
    type: z.enum(FACT_RELATIONSHIP_TYPES as [string, ...string[]]),
    from: text,
    to: text,
    market: text.optional(),
    evidence: z.array(EvidenceSchema).min(1, 'every relationship needs at least one evidence item'),
    retracted: RevocationSchema.optional(),
  })
  .strict();

const MentionSchema = z
  .object({ entity: text, start: z.number().int().nonnegative(), end: z.number().int().positive() })
  .strict()
  .refine((m) => m.end > m.start, { message: 'end must be greater than start', path: ['end'] });

const FactsSchema = z
  .object({
    article: z
      .object({
        id: z.string().regex(/^article:[a-z0-9-]+$/, 'an id like "article:xiaomi-korea-vi"'),
        title: text,
        titleVi: text.optional(),
        language: z.string().regex(/^[a-z]{2}$/),
        text: z
          .string()
          .refine((t) => t.trim().length > 0, 'the article text is empty')
          .optional(),
        file: text.optional(),
        /** The file the inline text was first read from: recorded as the article's `file`, never read (export). */
        originalFile: text.optional(),
        url: z.string().url().optional(),
        publishedAt: z.string().date().optional(),
        publisher: text.optional(),
        withdrawn: RevocationSchema.optional(),
      })
      .strict()
      .superRefine((a, ctx) => {
        if ((a.text === undefined) === (a.file === undefined)) {
          ctx.addIssue({
            code: 'custom',
            message: `give the article's text inline (text) or the file that holds it (file), ${a.text === undefined ? 'one of them' : 'not both'}`,
            path: [],
          });
        }
        if (a.originalFile !== undefined && a.text === undefined) {
          ctx.addIssue({
            code: 'custom',
            message: 'originalFile records where an inline text came from: give it only with text',
            path: ['originalFile'],
          });
        }
      }),
    entities: z.array(EntitySchema).min(1),
    relationships: z.array(RelationshipSchema),
    mentions: z.array(MentionSchema).optional(),
  })
  .strict();

/** A document of entities alone, without an article: how `npm run export` writes entities no article touches. */
const EntitiesDocumentSchema = z.object({ entities: z.array(EntitySchema).min(1) }).strict();

export type FactsFile = z.infer<typeof FactsSchema>;
type Revocation = z.infer<typeof RevocationSchema>;

export interface FactsProblem {
  /** Where in the file, e.g. relationships[3].evidence[0].quote */
  path: string;
  message: string;
}

export class FactsError extends Error {
  override name = 'FactsError';
  constructor(
    readonly file: string,
    readonly problems: FactsProblem[],
    /**
     * What kind of refusal: the input itself (`invalid`), what the graph holds (`conflict`: an id of another
     * kind), or a spelling of several entities (`ambiguous`, with the `candidates`).
     */
    readonly refusal: 'invalid' | 'conflict' | 'ambiguous' = 'invalid',
    readonly candidates: { id: string; name: string }[] = [],
  ) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
        problems.map((p) => `  ${p.path || '(top level)'}: ${p.message}`).join('\n'),
    );
  }
}

function formatPath(parts: readonly PropertyKey[]): string {
  return parts
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** Where a facts document comes from: a file (its text may then be a `file` beside it) or a request (text inline). */
export interface FactsSource {
  /** Named in errors: the file's path, or `input` for a mutation. */
  name: string;
  /** The directory a document's `article.file` is read from; null when the text must be inline. */
  dir: string | null;
}

/**
 * Reads a facts file: one document, or a JSON array of documents (as `npm run export` writes a whole graph).
 * A document with `entities` and nothing else is one of entities alone; any other is an article's.
 */
export function readFactsFile(file: string): FactsDocument[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const message =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new FactsError(file, [{ path: '', message: `not readable as JSON: ${message}` }]);
  }
  const source = { name: file, dir: path.dirname(file) };
  const parse = (doc: unknown, at?: string): FactsDocument =>
    isEntitiesDocument(doc) ? parseEntitiesDocument(doc, source, at) : parseFacts(doc, source, at);
  if (!Array.isArray(raw)) return [parse(raw)];
  if (raw.length === 0) throw new FactsError(file, [{ path: '', message: 'the list of documents is empty' }]);
  return raw.map((doc, i) => parse(doc, `[${i}]`));
}

const isEntitiesDocument = (doc: unknown) =>
  typeof doc === 'object' && doc !== null && Object.keys(doc).join() === 'entities';

/** Reads, parses and validates a facts file of one document; throws FactsError naming every problem. */
export function readFacts(file: string): Facts {
  const docs = readFactsFile(file);
  const [doc] = docs;
  if (docs.length !== 1 || !doc) {
    throw new FactsError(file, [{ path: '', message: `expected one document, found ${docs.length}` }]);
  }
  if (doc.article === null) {
    throw new FactsError(file, [
      { path: '', message: 'a document of entities alone; expected an article and its facts' },
    ]);
  }
  return doc;
}

function toEntity(e: z.infer<typeof EntitySchema>, ref: string): FactEntity {
  return {
    ref: e.id ?? ref,
    id: e.id ?? null,
    kind: e.kind,
    name: e.name.normalize('NFC'),
    nameVi: e.nameVi?.normalize('NFC') ?? null,
    aliases: e.aliases.map((a) => a.normalize('NFC')),
    description: e.description ?? null,
    properties: e.properties as Record<string, string | number | string[]>,
    mergedIds: e.mergedIds,
    keys: [...new Set([e.name, e.nameVi, ...e.aliases].filter((n): n is string => !!n).map(foldName))],
  };
}

/** Validates one entity as upsertEntity takes it (the format of a facts file's entity); throws FactsError. */
export function parseEntity(raw: unknown, source: string): FactEntity {
  const parsed = EntitySchema.safeParse(raw);
  if (!parsed.success) {
    throw new FactsError(
      source,
      parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    );
  }
  const entity = toEntity(parsed.data, '#0');
  if (entity.keys.some((k) => k.length === 0)) {
    throw new FactsError(source, [{ path: '', message: 'a name or alias has no letters or digits' }]);
  }
  return entity;
}

/**
 * Validates a document of entities alone (`{ "entities": [...] }`): each entity as an article's document gives
 * it, and by id (as an export writes them), ids unique. Throws FactsError naming every problem.
 */
export function parseEntitiesDocument(raw: unknown, source: FactsSource, at = ''): EntitiesDocument {
  const where = (p: string) => (at && p ? `${at}.${p}` : at || p);
  const parsed = EntitiesDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    throw new FactsError(
      source.name,
      parsed.error.issues.map((i) => ({ path: where(formatPath(i.path)), message: i.message })),
    );
  }
  const problems: FactsProblem[] = [];
  const ids = new Set<string>();
  const entities = parsed.data.entities.map((e, i) => {
    const entity = toEntity(e, `#${i}`);
    if (entity.id === null) {
      problems.push({ path: where(`entities[${i}].id`), message: 'a document without an article gives ids' });
    } else if (ids.has(entity.id)) {
      problems.push({ path: where(`entities[${i}].id`), message: `duplicate id "${entity.id}"` });
    }
    if (entity.id !== null) ids.add(entity.id);
    if (entity.keys.some((k) => k.length === 0)) {
      problems.push({ path: where(`entities[${i}]`), message: 'a name or alias has no letters or digits' });
    }
    return entity;
  });
  if (problems.length > 0) throw new FactsError(source.name, problems);
  return { article: null, entities };
}

const revocation = (r: Revocation | undefined) =>
  r ? { at: new Date(r.at).toISOString(), keyId: r.keyId, by: r.by, reason: r.reason } : null;

/**
 * Validates one facts document and its article: the format, every quote against the text (placing those given
 * without offsets), each relationship's ends by id or name with the kinds its type joins. Throws FactsError
 * naming every problem, each with its path in the document (after `at`, for a document in a list).
 */
export function parseFacts(raw: unknown, source: FactsSource, at = ''): Facts {
  const where = (p: string) => (at && p ? `${at}.${p}` : at || p);
  const problems: FactsProblem[] = [];
  const parsed = FactsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new FactsError(
      source.name,
      parsed.error.issues.map((i) => ({ path: where(formatPath(i.path)), message: i.message })),
    );
  }
  const facts = parsed.data;

  let articleText: string;
  if (facts.article.text !== undefined) articleText = facts.article.text;
  else {
    const name = facts.article.file ?? '';
    if (source.dir === null) {
      throw new FactsError(source.name, [
        {
          path: where('article.file'),
          message: "give the article's text inline (text): no file is read here",
        },
      ]);
    }
    try {
      articleText = readFileSync(path.resolve(source.dir, name), 'utf8');
    } catch {
      throw new FactsError(source.name, [
        { path: where('article.file'), message: `article text not found at ${name}` },
      ]);
    }
  }
  // One normal form for the text and the quotes, so a quote typed with composed accents matches a text saved
  // with decomposed ones; offsets count UTF-16 code units of the normalised text, which is what is stored.
  articleText = articleText.normalize('NFC');

  // Each entity is named in the document by a ref: its id, or `#<index>` for one given without an id (the
  // graph decides its id when the document is ingested).
  const entities: FactEntity[] = facts.entities.map((e, i) => {
    const entity = toEntity(e, `#${i}`);
    if (entity.keys.some((k) => k.length === 0)) {
      problems.push({ path: where(`entities[${i}]`), message: 'a name or alias has no letters or digits' });
    }
    return entity;
  });
  const byRef = new Map<string, FactEntity>();
  entities.forEach((e, i) => {
    if (byRef.has(e.ref))
      problems.push({ path: where(`entities[${i}].id`), message: `duplicate id "${e.ref}"` });
    byRef.set(e.ref, e);
  });
  if (byRef.has(facts.article.id)) {
    problems.push({ path: where('article.id'), message: `"${facts.article.id}" is also an entity id` });
  }
  // Two entities without ids that share a spelling of one kind would both land on whatever it names.
  const spellings = new Map<string, number>();
  entities.forEach((e, i) => {
    if (e.id !== null) return;
    for (const key of e.keys) {
      const other = spellings.get(`${e.kind}|${key}`);
      if (other !== undefined) {
        problems.push({
          path: where(`entities[${i}]`),
          message: `shares the spelling "${key}" with entities[${other}]: give one of them an id, or merge them`,
        });
      }
      spellings.set(`${e.kind}|${key}`, i);
    }
  });

  /** The entity a relationship's end names: an entity's id, or the name or an alias of one given without an id. */
  const refOf = (term: string, path: string): FactEntity | 'Article' | null => {
    if (term === facts.article.id) return 'Article';
    const exact = byRef.get(term);
    if (exact) return exact;
    const key = foldName(term);
    const named = entities.filter((e) => e.id === null && e.keys.includes(key));
    if (named.length === 1) return named[0] as FactEntity;
    problems.push({
      path,
      message:
        named.length === 0
          ? `unknown entity "${term}": neither an id nor the name of an entity without one in this document`
          : `"${term}" could mean ${named.map((e) => `entities[${entities.indexOf(e)}]`).join(', ')}`,
    });
    return null;
  };
  const refName = (e: FactEntity | 'Article') => (e === 'Article' ? facts.article.id : e.ref);
  const kindOf = (e: FactEntity | 'Article'): EntityKind => (e === 'Article' ? 'Article' : e.kind);

  const relIds = new Set<string>();
  const relationships: FactRelationship[] = [];
  facts.relationships.forEach((r, i) => {
    const at = where(`relationships[${i}]`);
    const spec = relationshipSpec(r.type);
    const from = refOf(r.from, `${at}.from`);
    const to = refOf(r.to, `${at}.to`);
    const market = r.market === undefined ? null : refOf(r.market, `${at}.market`);
    if (from && spec && !spec.from.includes(kindOf(from))) {
      problems.push({
        path: `${at}.from`,
        message: `${r.type} cannot start at a ${kindOf(from)} (${r.from})`,
      });
    }
    if (to && spec && !spec.to.includes(kindOf(to))) {
      problems.push({ path: `${at}.to`, message: `${r.type} cannot end at a ${kindOf(to)} (${r.to})` });
    }
    if (spec?.market === 'required' && r.market === undefined) {
      problems.push({ path: `${at}.market`, message: `${r.type} needs the market it holds in` });
    }
    if (spec?.market !== 'required' && r.market !== undefined) {
      problems.push({ path: `${at}.market`, message: `${r.type} takes no market` });
    }
    if (market && kindOf(market) !== 'Market') {
      problems.push({ path: `${at}.market`, message: `"${r.market}" is not a Market in this facts file` });
    }
    const evidence: EvidenceItem[] = [];
    r.evidence.forEach((ev, j) => {
      const located = locateQuote(articleText, ev.quote.normalize('NFC'), ev.start, ev.end);
      if ('problem' in located)
        problems.push({ path: `${at}.evidence[${j}].quote`, message: located.problem });
      else {
        evidence.push({
          ...located,
          ...anchorsOf(articleText, located.start, located.end),
          status: ev.status,
          article: facts.article.id,
        });
      }
    });
    if (!from || !to || (r.market !== undefined && !market)) return;
    const key = `${refName(from)}|${r.type}|${refName(to)}${market ? `|${refName(market)}` : ''}`;
    if (relIds.has(key)) problems.push({ path: at, message: `duplicate relationship ${key}` });
    relIds.add(key);
    relationships.push({
      type: r.type,
      from: refName(from),
      to: refName(to),
      market: market ? refName(market) : null,
      evidence,
      retraction: revocation(r.retracted),
    });
  });

  let mentions: Facts['mentions'] = null;
  if (facts.mentions) {
    mentions = [];
    for (const [i, m] of facts.mentions.entries()) {
      const entity = refOf(m.entity, where(`mentions[${i}].entity`));
      if (m.end > articleText.length) {
        problems.push({
          path: where(`mentions[${i}].end`),
          message: `beyond the article's end (${articleText.length})`,
        });
      } else if (entity && entity !== 'Article') {
        mentions.push({
          entity: entity.ref,
          start: m.start,
          end: m.end,
          quote: articleText.slice(m.start, m.end),
        });
      }
    }
  }

  if (problems.length > 0) throw new FactsError(source.name, problems);
  return {
    article: {
      id: facts.article.id,
      title: facts.article.title,
      titleVi: facts.article.titleVi ?? null,
      language: facts.article.language,
      file: facts.article.file ?? facts.article.originalFile ?? null,
      url: facts.article.url ?? null,
      publishedAt: facts.article.publishedAt ?? null,
      publisher: facts.article.publisher ?? null,
      text: articleText,
      withdrawal: revocation(facts.article.withdrawn),
      keys: [
        ...new Set(
          [facts.article.title, facts.article.titleVi].filter((n): n is string => !!n).map(foldName),
        ),
      ],
    },
    entities,
    relationships,
    mentions,
  };
}
