import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigDocument, KOREA, type RawFacts, tag, XIAOMI } from '../bench/big-document.js';
import { parseFacts } from '../src/facts/file.js';
import { ingestDocument } from '../src/facts/load.js';
import { COMMAND_LINE } from '../src/graph/changes.js';
import type { IngestReport } from '../src/graph/ingest.js';
import { foldName } from '../src/graph/names.js';
import { createDriver, Db } from '../src/neo4j/driver.js';
import { privateNeo4j } from './support/private.js';

/*
 * Ingests at the same time that share entities: documents that name the same new entities (without ids, by
 * the same spellings) and the same existing ones, each ingested through a driver of its own, several rounds.
 * No entity may exist twice, no fact or spelling may be lost, and no error may escape (a deadlock is retried).
 * A Neo4j of this file's own: the documents add aliases to the seed's Xiaomi.
 */

const neo4j = privateNeo4j();
/** Documents ingested at once in each round, each through its own driver (its own connections). */
const CLIENTS = 3;
const ROUNDS = 3;
let clients: Db[] = [];

beforeAll(() => {
  clients = Array.from(
    { length: CLIENTS },
    () => new Db(createDriver({ ...neo4j.local, database: 'neo4j', txTimeoutMs: 120_000 }), 'neo4j', 120_000),
  );
});
afterAll(async () => {
  for (const db of clients) await db.close();
});

/** Ingests the documents at once, one per client; fails naming every error that escaped. */
async function atOnce(documents: RawFacts[]): Promise<IngestReport[]> {
  const outcomes = await Promise.allSettled(
    documents.map((raw, k) =>
      ingestDocument(
        clients[k % CLIENTS] as Db,
        parseFacts(raw, { name: raw.article.id, dir: null }),
        COMMAND_LINE,
        { name: raw.article.id },
      ),
    ),
  );
  const errors = outcomes.flatMap((o, k) =>
    o.status === 'rejected' ? [`${documents[k]?.article.id}: ${(o.reason as Error).stack}`] : [],
  );
  expect(errors, 'errors that escaped the ingests').toEqual([]);
  return outcomes.map((o) => (o as PromiseFulfilledResult<IngestReport>).value);
}

/** How many entities (articles aside) bear each name that starts with `names`. */
async function entitiesByName(names: string): Promise<Map<string, number>> {
  return neo4j.db.read(async (tx) => {
    const r = await tx.run(
      `MATCH (e:Entity) WHERE e.name STARTS WITH $names AND NOT e:Article
       RETURN e.name AS name, count(*) AS n`,
      { names },
    );
    return new Map(r.records.map((rec) => [rec.get('name') as string, rec.get('n') as number]));
  });
}

/** Spellings (NameKeys) starting with `names` that name more than one entity: each would make a lookup AMBIGUOUS. */
async function sharedSpellings(names: string): Promise<{ key: string; ids: string[] }[]> {
  return neo4j.db.read(async (tx) => {
    const r = await tx.run(
      `MATCH (k:NameKey)-[:NAMES]->(e:Entity) WHERE k.key STARTS WITH $folded AND NOT e:Article
       WITH k, collect(e.id) AS ids WHERE size(ids) > 1
       RETURN k.key AS key, ids`,
      { folded: foldName(names) },
    );
    return r.records.map((rec) => rec.toObject() as { key: string; ids: string[] });
  });
}

const nameOf = (ref: string) => (ref === XIAOMI ? 'Xiaomi' : ref === KOREA ? 'South Korea' : ref);

/** The facts of the documents (by the names of their ends) that are missing, or whose article's quote is not
 * there exactly once. */
async function missingFacts(documents: RawFacts[]): Promise<unknown[]> {
  const rows = documents.flatMap((d) =>
    d.relationships.map((r) => ({
      article: d.article.id,
      type: r.type,
      from: nameOf(r.from),
      to: nameOf(r.to),
      market: r.market ?? null,
      quote: r.evidence[0]?.quote,
    })),
  );
  return neo4j.db.read(async (tx) => {
    const r = await tx.run(
      `UNWIND $rows AS row
       OPTIONAL MATCH (a:Entity {name: row.from})-[r]->(b:Entity {name: row.to})
       WHERE type(r) = row.type AND (row.market IS NULL OR r.market = row.market)
         AND size([i IN range(0, size(r.evidenceArticles) - 1)
           WHERE r.evidenceArticles[i] = row.article AND r.evidenceQuotes[i] = row.quote]) = 1
       WITH row, count(r) AS found WHERE found <> 1
       RETURN row, found`,
      { rows },
    );
    return r.records.map((rec) => rec.toObject());
  });
}

async function aliasesOf(where: { id: string } | { name: string }): Promise<string[]> {
  return neo4j.db.read(async (tx) => {
    const r = await tx.run(
      'MATCH (e:Entity) WHERE e.id = $id OR e.name = $name RETURN e.aliases AS aliases',
      { id: null, name: null, ...where },
    );
    expect(r.records, JSON.stringify(where)).toHaveLength(1);
    return r.records[0]?.get('aliases') as string[];
  });
}

/**
 * The round's documents: each 60 products (the next one's first 40 among them) over the same 10 companies; every
 * other one lists its entities in reverse, so that writes in the order of the documents meet in opposite orders.
 */
function roundDocuments(names: string, extra?: (k: number) => string): RawFacts[] {
  return Array.from({ length: CLIENTS }, (_, k) => {
    const doc = bigDocument({
      article: `article:${names.toLowerCase()}-${k}`,
      title: `${names} digest ${k + 1} (synthetic)`,
      names,
      products: 60,
      companies: 10,
      from: k * 20,
      ...(extra ? { extraAlias: extra(k) } : {}),
    });
    if (k % 2 === 1) doc.entities.reverse();
    return doc;
  });
}

describe('ingests at the same time that share entities', () => {
  it('create each new entity once and keep every fact of every document', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const names = `Conc${tag(round)}`;
      const documents = roundDocuments(names);
      const reports = await atOnce(documents);

      // 10 companies and products 0..99, each once, and every spelling of them naming one entity.
      const byName = await entitiesByName(names);
      expect(byName.size).toBe(10 + 20 * (CLIENTS - 1) + 60);
      expect([...byName].filter(([, n]) => n !== 1)).toEqual([]);
      expect(await sharedSpellings(names)).toEqual([]);
      expect(await missingFacts(documents)).toEqual([]);
      // The results tell the truth: each new entity was created by one ingest and matched by the others.
      const creators = new Map<string, number>();
      for (const r of reports) for (const c of r.created) creators.set(c.id, (creators.get(c.id) ?? 0) + 1);
      expect(creators.size).toBe(byName.size);
      expect(
        [...creators].filter(([, n]) => n !== 1),
        'entities reported created more than once',
      ).toEqual([]);
      // The existing entities, matched by id, are still one each.
      expect(await aliasesOf({ id: XIAOMI })).toContain(`${names} Xiaomi`);
    }
  }, 300_000);

  it('keep the spellings every document brings to a shared entity, new or existing', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const names = `Alias${tag(round)}`;
      const alt = (k: number) => `Alt${tag(k)}`;
      const documents = roundDocuments(names, alt);
      await atOnce(documents);

      expect([...(await entitiesByName(names))].filter(([, n]) => n !== 1)).toEqual([]);
      expect(await sharedSpellings(names)).toEqual([]);
      // What ingesting them one after the other gives: each document's alias on the entities it names.
      const every = Array.from({ length: CLIENTS }, (_, k) => alt(k));
      expect(await aliasesOf({ id: XIAOMI })).toEqual(
        expect.arrayContaining(every.map((a) => `${names} Xiaomi ${a}`)),
      );
      expect(await aliasesOf({ name: `${names} Trading ${tag(0)}` })).toEqual(
        expect.arrayContaining(every.map((a) => `${names} ${tag(0)} ${a}`)),
      );
      // Product 40 is in all three documents (0..59, 20..79, 40..99).
      expect(await aliasesOf({ name: `${names} Phone ${tag(40)}` })).toEqual(
        expect.arrayContaining(every.map((a) => `${names} Phone ${tag(40)} ${a}`)),
      );
    }
  }, 300_000);

  it('make one entity of a new company that one document names by its alias and another by its name', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const name = `Zedco${tag(round)}`;
      const doc = (article: string, company: { name: string; aliases: string[] }, sentence: string) => ({
        article: { id: article, title: `${name} ${article}`, language: 'en', text: `${sentence}.` },
        entities: [
          { kind: 'Company', ...company },
          { kind: 'Product', name: `${name} Phone`, aliases: [] },
        ],
        relationships: [
          {
            type: 'MANUFACTURES',
            from: company.name,
            to: `${name} Phone`,
            evidence: [{ quote: sentence, status: 'stated' }],
          },
        ],
      });
      const documents = [
        doc(
          `article:${name.toLowerCase()}-a`,
          { name: `${name} Electronics Trading`, aliases: [`${name} Group`] },
          `${name} Electronics Trading makes the ${name} Phone`,
        ),
        doc(
          `article:${name.toLowerCase()}-b`,
          { name: `${name} Group`, aliases: [] },
          `${name} Group makes the ${name} Phone`,
        ),
      ] as unknown as RawFacts[];
      const reports = await atOnce(documents);

      // One after the other, the second document finds the first one's company by the spelling they share.
      expect(await sharedSpellings(name)).toEqual([]);
      const companies = await neo4j.db.read(async (tx) => {
        const r = await tx.run(
          `MATCH (:NameKey {key: $key})-[:NAMES]->(e:Company) RETURN e.id AS id, e.name AS name, e.aliases AS aliases`,
          { key: foldName(`${name} Group`) },
        );
        return r.records.map((rec) => rec.toObject());
      });
      expect(companies).toHaveLength(1);
      expect(reports.flatMap((r) => r.created.map((c) => c.id)).sort()).toEqual(
        [companies[0]?.id, `product:${name.toLowerCase()}-phone`].sort(),
      );
    }
  }, 300_000);
});
