import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { EvidenceItem, FactEntity, FactRelationship, Facts } from '../graph/load.js';
import {
  type EntityKind,
  EVIDENCE_STATUSES,
  FACT_KINDS,
  FACT_RELATIONSHIP_TYPES,
  relationshipSpec,
} from '../graph/model.js';
import { foldName } from '../graph/names.js';
import { locateQuote } from './quotes.js';

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

const EntitySchema = z
  .object({
    id,
    kind: z.enum(FACT_KINDS),
    name: text,
    nameVi: text.optional(),
    aliases: z.array(text).default([]),
    description: text.optional(),
    properties: z.record(z.string(), z.unknown()).default({}),
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
    from: id,
    to: id,
    market: id.optional(),
    evidence: z.array(EvidenceSchema).min(1, 'every relationship needs at least one evidence item'),
  })
  .strict();

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
        url: z.string().url().optional(),
        publishedAt: z.string().date().optional(),
        publisher: text.optional(),
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
      }),
    entities: z.array(EntitySchema).min(1),
    relationships: z.array(RelationshipSchema),
  })
  .strict();

export type FactsFile = z.infer<typeof FactsSchema>;

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

/** Reads, parses and validates a facts file and its article; throws FactsError naming every problem. */
export function readFacts(file: string): Facts {
  const problems: FactsProblem[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const message =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new FactsError(file, [{ path: '', message: `not readable as JSON: ${message}` }]);
  }
  const parsed = FactsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new FactsError(
      file,
      parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    );
  }
  const facts = parsed.data;

  let articleText: string;
  if (facts.article.text !== undefined) articleText = facts.article.text;
  else {
    const name = facts.article.file ?? '';
    try {
      articleText = readFileSync(path.resolve(path.dirname(file), name), 'utf8');
    } catch {
      throw new FactsError(file, [{ path: 'article.file', message: `article text not found at ${name}` }]);
    }
  }
  // One normal form for the text and the quotes, so a quote typed with composed accents matches a text saved
  // with decomposed ones; offsets count UTF-16 code units of the normalised text, which is what is stored.
  articleText = articleText.normalize('NFC');

  const kinds = new Map<string, EntityKind>();
  facts.entities.forEach((e, i) => {
    if (kinds.has(e.id)) problems.push({ path: `entities[${i}].id`, message: `duplicate id "${e.id}"` });
    kinds.set(e.id, e.kind);
  });
  if (kinds.has(facts.article.id)) {
    problems.push({ path: 'article.id', message: `"${facts.article.id}" is also an entity id` });
  }
  kinds.set(facts.article.id, 'Article');

  const relIds = new Set<string>();
  const relationships: FactRelationship[] = [];
  facts.relationships.forEach((r, i) => {
    const at = `relationships[${i}]`;
    const spec = relationshipSpec(r.type);
    const fromKind = kinds.get(r.from);
    const toKind = kinds.get(r.to);
    if (!fromKind) problems.push({ path: `${at}.from`, message: `unknown entity "${r.from}"` });
    else if (spec && !spec.from.includes(fromKind)) {
      problems.push({ path: `${at}.from`, message: `${r.type} cannot start at a ${fromKind} (${r.from})` });
    }
    if (!toKind) problems.push({ path: `${at}.to`, message: `unknown entity "${r.to}"` });
    else if (spec && !spec.to.includes(toKind)) {
      problems.push({ path: `${at}.to`, message: `${r.type} cannot end at a ${toKind} (${r.to})` });
    }
    if (spec?.market === 'required' && r.market === undefined) {
      problems.push({ path: `${at}.market`, message: `${r.type} needs the market it holds in` });
    }
    if (spec?.market !== 'required' && r.market !== undefined) {
      problems.push({ path: `${at}.market`, message: `${r.type} takes no market` });
    }
    if (r.market !== undefined && kinds.get(r.market) !== 'Market') {
      problems.push({ path: `${at}.market`, message: `"${r.market}" is not a Market in this facts file` });
    }
    const evidence: EvidenceItem[] = [];
    r.evidence.forEach((ev, j) => {
      const located = locateQuote(articleText, ev.quote.normalize('NFC'), ev.start, ev.end);
      if ('problem' in located)
        problems.push({ path: `${at}.evidence[${j}].quote`, message: located.problem });
      else evidence.push({ ...located, status: ev.status, article: facts.article.id });
    });
    const relId = `${r.from}|${r.type}|${r.to}${r.market ? `|${r.market}` : ''}`;
    if (relIds.has(relId)) problems.push({ path: at, message: `duplicate relationship ${relId}` });
    relIds.add(relId);
    relationships.push({
      id: relId,
      type: r.type,
      from: r.from,
      to: r.to,
      market: r.market ?? null,
      evidence,
    });
  });

  const entities: FactEntity[] = facts.entities.map((e, i) => {
    const keys = [...new Set([e.name, e.nameVi, ...e.aliases].filter((n): n is string => !!n).map(foldName))];
    if (keys.some((k) => k.length === 0)) {
      problems.push({ path: `entities[${i}]`, message: 'a name or alias has no letters or digits' });
    }
    return {
      id: e.id,
      kind: e.kind,
      name: e.name,
      nameVi: e.nameVi ?? null,
      aliases: e.aliases,
      description: e.description ?? null,
      properties: e.properties as Record<string, string | number | string[]>,
      keys,
    };
  });

  if (problems.length > 0) throw new FactsError(file, problems);
  return {
    article: {
      id: facts.article.id,
      title: facts.article.title,
      titleVi: facts.article.titleVi ?? null,
      language: facts.article.language,
      file: facts.article.file ?? null,
      url: facts.article.url ?? null,
      publishedAt: facts.article.publishedAt ?? null,
      publisher: facts.article.publisher ?? null,
      text: articleText,
      keys: [
        ...new Set(
          [facts.article.title, facts.article.titleVi].filter((n): n is string => !!n).map(foldName),
        ),
      ],
    },
    entities,
    relationships,
  };
}
