import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportError, exportGraph, exportText, graphText } from '../src/facts/export.js';
import { parseEntity, readFacts, readFactsFile } from '../src/facts/file.js';
import { loadFacts } from '../src/facts/load.js';
import type { Who } from '../src/graph/changes.js';
import { mergeEntities, retractFact, withdrawArticle } from '../src/graph/corrections.js';
import { upsertEntity } from '../src/graph/ingest.js';
import type { Db } from '../src/neo4j/driver.js';
import { gqlClient } from './support/graphql.js';
import { root } from './support/paths.js';
import { privateNeo4j } from './support/private.js';

/**
 * Export, end to end: a graph grown past the seed (the fictional Busan article, which names the seed's entities
 * under other spellings; a third fictional article written here; facts retracted; entities merged; an article
 * withdrawn; entities no article touches) is exported with `npm run export`, ingested into an empty database,
 * and compared node by node and relationship by relationship, every property; then exported again, byte for
 * byte the same. Also: one article's document, the GraphQL query (the same text), and the refusals.
 */

const source = privateNeo4j();
const target = privateNeo4j({ seed: false });
const exec = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'marketgraph-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SEED = 'article:xiaomi-korea-vi';
const BUSAN = 'article:busan-store-test-vi';
const THIRD = 'article:export-test-vi';
const who: Who = { keyId: '0123456789abcdef', name: 'export test key' };

/**
 * A third fictional article, withdrawn below: it confirms a fact the others state (whose status then falls back
 * to theirs), repeats one of the Busan article's, and alone states a third (retracted with it).
 */
const THIRD_FACTS = {
  article: {
    id: THIRD,
    title: 'Xiaomi and Samsung (fictional test article)',
    language: 'vi',
    publisher: 'marketgraph test fixtures',
    url: 'https://example.com/export-test',
    publishedAt: '2024-07-01',
    text:
      '(Bài viết hư cấu, viết cho bộ kiểm thử.) Xiaomi cạnh tranh trực tiếp với Samsung, công ty xác nhận. ' +
      'Koma Trade phân phối Mi Band 3 tại Hàn Quốc. Koma Trade có lẽ cũng có mặt tại Trung Quốc.',
  },
  entities: [
    { id: 'company:xiaomi', kind: 'Company', name: 'Xiaomi' },
    { id: 'company:samsung', kind: 'Company', name: 'Samsung' },
    { id: 'company:koma-trade', kind: 'Company', name: 'Koma Trade' },
    { id: 'product:mi-band-3', kind: 'Product', name: 'Mi Band 3' },
    { id: 'market:south-korea', kind: 'Market', name: 'South Korea' },
    { id: 'market:china', kind: 'Market', name: 'China' },
  ],
  relationships: [
    {
      type: 'COMPETES_WITH',
      from: 'company:xiaomi',
      to: 'company:samsung',
      evidence: [{ quote: 'Xiaomi cạnh tranh trực tiếp với Samsung, công ty xác nhận', status: 'confirmed' }],
    },
    {
      type: 'DISTRIBUTES',
      from: 'company:koma-trade',
      to: 'product:mi-band-3',
      market: 'market:south-korea',
      evidence: [{ quote: 'Koma Trade phân phối Mi Band 3 tại Hàn Quốc', status: 'reported' }],
    },
    {
      type: 'PRESENT_IN',
      from: 'company:koma-trade',
      to: 'market:china',
      evidence: [{ quote: 'Koma Trade có lẽ cũng có mặt tại Trung Quốc', status: 'speculated' }],
    },
  ],
};

async function runExport(db: { local: { uri: string; password: string } }, ...args: string[]) {
  const env = {
    ...process.env,
    NEO4J_URI: db.local.uri,
    NEO4J_USER: 'neo4j',
    NEO4J_PASSWORD: db.local.password,
  };
  try {
    const { stdout, stderr } = await exec(
      path.join(root, 'node_modules/.bin/tsx'),
      ['src/facts/export-cli.ts', ...args],
      {
        cwd: root,
        env,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// ---------------------------------------------------------------------------------------------------------
// The comparison

interface Snapshot {
  nodes: Map<string, { labels: string[]; props: Record<string, unknown> }>;
  relationships: Map<string, Record<string, unknown>>;
}

const EVIDENCE = [
  'evidenceQuotes',
  'evidenceStarts',
  'evidenceEnds',
  'evidencePrefixes',
  'evidenceSuffixes',
  'evidenceStatuses',
] as const;

/**
 * A relationship's parallel evidence lists as items grouped by article, each article's in their order: ingest
 * appends an article's items after the others' (so the order across articles is the order articles were
 * ingested, or merged), while each article's own order is kept.
 */
function evidenceByArticle(props: Record<string, unknown>): Record<string, unknown> {
  const articles = (props.evidenceArticles as string[] | undefined) ?? [];
  if (!('evidenceArticles' in props)) return props;
  const rest = Object.fromEntries(
    Object.entries(props).filter(
      ([k]) => k !== 'evidenceArticles' && !(EVIDENCE as readonly string[]).includes(k),
    ),
  );
  const byArticle: Record<string, unknown[][]> = {};
  articles.forEach((article, i) => {
    const item = EVIDENCE.map((k) => (props[k] as unknown[] | undefined)?.[i] ?? null);
    byArticle[article] = [...(byArticle[article] ?? []), item];
  });
  const sorted = Object.fromEntries(
    Object.keys(byArticle)
      .sort()
      .map((a) => [a, byArticle[a]]),
  );
  return { ...rest, evidence: sorted };
}

/** Every node and relationship but the write log and API keys, keyed by what identifies it. */
async function snapshot(db: Db): Promise<Snapshot> {
  return db.read(async (tx) => {
    const nodeKey = `CASE WHEN n:NameKey THEN 'NameKey ' + n.key WHEN n:Redirect THEN 'Redirect ' + n.id ELSE n.id END`;
    const nodes = await tx.run(
      `MATCH (n) WHERE NOT n:Change AND NOT n:ApiKey
       RETURN ${nodeKey} AS key, labels(n) AS labels, properties(n) AS props`,
    );
    const rels = await tx.run(
      `MATCH (a)-[r]->(b) WHERE NOT a:Change AND NOT a:ApiKey AND NOT b:Change AND NOT b:ApiKey
       WITH r, ${nodeKey.replaceAll('n:', 'a:').replaceAll('n.', 'a.')} AS from,
         ${nodeKey.replaceAll('n:', 'b:').replaceAll('n.', 'b.')} AS to
       RETURN from + ' -[' + type(r) + ']-> ' + to AS key, properties(r) AS props`,
    );
    const snap: Snapshot = { nodes: new Map(), relationships: new Map() };
    for (const rec of nodes.records) {
      snap.nodes.set(rec.get('key'), { labels: [...rec.get('labels')].sort(), props: rec.get('props') });
    }
    for (const rec of rels.records) {
      const key = rec.get('key') as string;
      if (snap.relationships.has(key)) throw new Error(`two relationships ${key}`);
      snap.relationships.set(key, evidenceByArticle(rec.get('props')));
    }
    return snap;
  });
}

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
};

/** What differs between two snapshots, one line each: a node or relationship missing or extra, or a property. */
function differences(a: Snapshot, b: Snapshot): string[] {
  const out: string[] = [];
  const compareProps = (what: string, x: Record<string, unknown>, y: Record<string, unknown>) => {
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
      if (JSON.stringify(x[k]) !== JSON.stringify(y[k])) {
        out.push(`${what}.${k}: source ${show(x[k])}, round trip ${show(y[k])}`);
      }
    }
  };
  for (const [key, node] of a.nodes) {
    const other = b.nodes.get(key);
    if (!other) out.push(`node ${key} is missing after the round trip`);
    else {
      if (node.labels.join() !== other.labels.join()) {
        out.push(`node ${key} labels: source ${node.labels}, round trip ${other.labels}`);
      }
      compareProps(`node ${key}`, node.props, other.props);
    }
  }
  for (const key of b.nodes.keys())
    if (!a.nodes.has(key)) out.push(`node ${key} is new after the round trip`);
  for (const [key, props] of a.relationships) {
    const other = b.relationships.get(key);
    if (!other) out.push(`relationship ${key} is missing after the round trip`);
    else compareProps(`relationship ${key}`, props, other);
  }
  for (const key of b.relationships.keys()) {
    if (!a.relationships.has(key)) out.push(`relationship ${key} is new after the round trip`);
  }
  return out;
}

async function emptyGraph(db: Db) {
  await db.write((tx) => tx.run('MATCH (n) DETACH DELETE n'));
}

// ---------------------------------------------------------------------------------------------------------
// The source graph: the seed, two more articles, and corrections

beforeAll(async () => {
  const db = source.db;
  await loadFacts(db, path.join(root, 'tests/fixtures/busan-store.facts.json'));
  const third = path.join(dir, 'third.facts.json');
  writeFileSync(third, JSON.stringify(THIRD_FACTS));
  await loadFacts(db, third);

  await db.write(async (tx) => {
    // A fact only the seed states, retracted with a key; one of the Busan article's, from the command line.
    await retractFact(tx, who, {
      id: 'company:xiaomi|HAS_OFFICE|office:xiaomi-seoul-representative-office',
      reason: 'only a rumour (test)',
    });
    await retractFact(
      tx,
      { keyId: null, name: 'command line' },
      {
        id: 'company:busan-mobile-hub|HEADQUARTERED_IN|city:busan',
        reason: 'fictional retailer (test)',
      },
    );
  });
  // Two entities made by hand, touched by no article; one merged into the other.
  for (const raw of [
    { id: 'company:export-orphan', kind: 'Company', name: 'Export Orphan Co', aliases: ['EOC'] },
    {
      id: 'product:export-gadget',
      kind: 'Product',
      name: 'Export Gadget',
      nameVi: 'Thiết bị Export',
      description: 'Made by hand for the export test.',
      properties: { category: 'gadget', priceUpToUsd: 99.5, features: ['a', 'b'] },
    },
    { id: 'company:export-orphan-dup', kind: 'Company', name: 'Export Orphan Company' },
  ]) {
    await db.write((tx) => upsertEntity(tx, parseEntity(raw, 'test'), who));
  }
  await db.write((tx) =>
    mergeEntities(tx, who, { keep: 'company:export-orphan', merge: 'company:export-orphan-dup' }),
  );
  // Busan's retailer merged into the seed's distributor: relationships of two articles joined.
  await db.write((tx) =>
    mergeEntities(tx, who, { keep: 'company:koma-trade', merge: 'company:busan-mobile-hub' }),
  );
  // The third article withdrawn: the fact only it supported is retracted, those the others share stay.
  await db.write((tx) => withdrawArticle(tx, who, { id: THIRD, reason: 'a test article' }));
}, 120_000);

describe('npm run export', () => {
  const whole = path.join(dir, 'graph.json');
  let exported = '';
  let before: Snapshot;

  beforeAll(async () => {
    const run = await runExport(source, whole);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Exported 3 articles from .* to .*graph\.json: 4 documents, \d+ relationships/,
    );
    exported = readFileSync(whole, 'utf8');
    before = await snapshot(source.db);
  }, 60_000);

  it('writes every article, then the entities no article touches, in the ingest format', () => {
    const docs = JSON.parse(exported) as any[];
    expect(docs.map((d) => d.article?.id ?? 'entities')).toEqual([BUSAN, THIRD, SEED, 'entities']);
    expect(docs[3].entities.map((e: any) => e.id)).toEqual([
      'company:export-orphan',
      'product:export-gadget',
    ]);
    expect(docs[3].entities[0]).toMatchObject({ mergedIds: ['company:export-orphan-dup'] });
    const seed = docs[2];
    expect(seed.article).toMatchObject({ originalFile: 'xiaomi-korea.vi.txt', language: 'vi' });
    expect(seed.article.text.length).toBeGreaterThan(1000);
    for (const doc of docs.slice(0, 3)) {
      for (const r of doc.relationships) for (const e of r.evidence) expect(e).toHaveProperty('start');
      for (const e of doc.entities) expect(e.id).toBeTruthy();
      expect(doc.mentions.length).toBeGreaterThan(0);
    }
    const retracted = seed.relationships.find((r: any) => r.type === 'HAS_OFFICE');
    expect(retracted.retracted).toMatchObject({
      keyId: who.keyId,
      by: who.name,
      reason: 'only a rumour (test)',
    });
    expect(docs[1].article.withdrawn).toMatchObject({ keyId: who.keyId, reason: 'a test article' });
    expect(docs[1].relationships.map((r: any) => [r.type, r.retracted?.reason ?? null])).toEqual([
      ['DISTRIBUTES', null],
      ['PRESENT_IN', 'article withdrawn: a test article'],
      ['COMPETES_WITH', null],
    ]);
    // The merged retailer's facts are the distributor's now, in the Busan article's document.
    const busan = docs[0];
    expect(busan.entities.map((e: any) => e.id)).not.toContain('company:busan-mobile-hub');
    expect(busan.entities.find((e: any) => e.id === 'company:koma-trade')).toMatchObject({
      mergedIds: ['company:busan-mobile-hub'],
    });
    expect(busan.relationships.find((r: any) => r.type === 'HEADQUARTERED_IN')).toMatchObject({
      from: 'company:koma-trade',
      retracted: { keyId: null, by: 'command line', reason: 'fictional retailer (test)' },
    });
  });

  it('ingested into an empty database gives the same graph: every node, relationship and property', async () => {
    await emptyGraph(target.db);
    const reports = await loadFacts(target.db, whole);
    expect(reports.map((r) => r.article)).toEqual([BUSAN, THIRD, SEED, null]);
    const after = await snapshot(target.db);
    expect(differences(before, after)).toEqual([]);
    expect(before.nodes.size).toBeGreaterThan(100);
    expect(before.relationships.size).toBeGreaterThan(200);
    const kinds = new Set([...before.nodes.values()].flatMap((n) => n.labels));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(['Article', 'NameKey', 'Redirect', 'Company', 'Product']),
    );
  });

  it('exported again from the copy, is the same text', async () => {
    expect(await graphText(target.db)).toBe(exported);
  });

  it("--article writes that article's document alone, which ingests as that article's part", async () => {
    const file = path.join(dir, 'busan.json');
    const run = await runExport(source, file, '--article', BUSAN);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Exported ${BUSAN} from .*: 1 document,`));
    const text = readFileSync(file, 'utf8');
    const docs = JSON.parse(exported) as unknown[];
    expect(text).toBe(`${JSON.stringify(docs[0], null, 2)}\n`);
    // Alone in an empty database, it gives back the same document (statuses, not in it, follow its evidence).
    await emptyGraph(target.db);
    expect((await loadFacts(target.db, file)).map((r) => r.article)).toEqual([BUSAN]);
    expect(await exportText(target.db, BUSAN, 10_000)).toBe(text);
  });

  it('refuses an unknown article, naming it, and writes nothing', async () => {
    const file = path.join(dir, 'nothing.json');
    const run = await runExport(source, file, '--article', 'article:no-such-thing');
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('No article has the id "article:no-such-thing".');
    expect(() => readFileSync(file)).toThrow();
  });

  it('refuses bad arguments before reaching Neo4j', async () => {
    const none = await runExport(source);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^Name the file to write\.\n\nUsage: npm run export/);
    const unknown = await runExport(source, 'x.json', '--articel', SEED);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Unknown option '--articel'/);
    const nowhere = await runExport(source, path.join(dir, 'no/such/dir/x.json'));
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/^Cannot write .*x\.json: .* is not a directory/);
  });
});

describe('the export query', () => {
  const gql = () => gqlClient(source.db);

  it('gives the same text as npm run export, for one article and for the whole graph', async () => {
    const file = path.join(dir, 'seed.json');
    expect((await runExport(source, file, '--article', SEED)).code).toBe(0);
    const one = await gql()<{ export: string }>('query ($a: ID) { export(article: $a) }', { a: SEED });
    expect(one.body.errors).toBeUndefined();
    expect(one.body.data?.export).toBe(readFileSync(file, 'utf8'));
    const all = await gql()<{ export: string }>('{ export }');
    expect(all.body.data?.export).toBe(readFileSync(path.join(dir, 'graph.json'), 'utf8'));
  });

  it('names an unknown article', async () => {
    const res = await gql()('{ export(article: "article:no-such-thing") }');
    expect(res.body.errors?.[0]).toMatchObject({
      message: 'No article matches "article:no-such-thing".',
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it('is bounded: a graph or an article larger than the bound is refused, naming the way out', async () => {
    await expect(exportText(source.db, null, 50)).rejects.toMatchObject({ problem: 'too-large' });
    await expect(exportText(source.db, SEED, 50)).rejects.toMatchObject({ problem: 'too-large' });
    const costly = await gql()('{ a: export b: export c: export d: export e: export f: export }');
    expect(costly.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
  });
});

describe('a document of entities alone', () => {
  it('is read with its ids, and refused without them', () => {
    const file = path.join(dir, 'entities.json');
    writeFileSync(
      file,
      JSON.stringify([{ entities: [{ id: 'company:a-co', kind: 'Company', name: 'A Co' }] }]),
    );
    expect(readFactsFile(file)).toMatchObject([
      { article: null, entities: [{ id: 'company:a-co', name: 'A Co' }] },
    ]);
    writeFileSync(
      file,
      JSON.stringify([
        THIRD_FACTS,
        {
          entities: [
            { kind: 'Company', name: 'B Co' },
            { id: 'company:a-co', kind: 'Company', name: 'A' },
            { id: 'company:a-co', kind: 'Company', name: 'A' },
          ],
        },
      ]),
    );
    expect(() => readFactsFile(file)).toThrow(
      `${file}: 2 problems\n  [1].entities[0].id: a document without an article gives ids\n  [1].entities[2].id: duplicate id "company:a-co"`,
    );
    // Where one article's document is expected, it is not one.
    writeFileSync(
      file,
      JSON.stringify({ entities: [{ id: 'company:a-co', kind: 'Company', name: 'A Co' }] }),
    );
    expect(() => readFacts(file)).toThrow(
      `${file}: 1 problem\n  (top level): a document of entities alone; expected an article and its facts`,
    );
  });
});

describe('an export that cannot be faithful', () => {
  it('is refused when a write changes the graph meanwhile', async () => {
    let first = true;
    const run = exportGraph(target.db, async () => {
      if (!first) return;
      first = false;
      await target.db.write((tx) =>
        upsertEntity(
          tx,
          parseEntity({ id: 'company:export-late', kind: 'Company', name: 'Late Co' }, 'test'),
          who,
        ),
      );
    });
    await expect(run).rejects.toMatchObject({ problem: 'changed' });
  });

  it('is refused when the graph holds what the format has no place for', async () => {
    await target.db.write((tx) => tx.run("MATCH (e:Entity {id: 'company:xiaomi'}) SET e.ticker = '1810.HK'"));
    const err = await graphText(target.db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExportError);
    expect((err as ExportError).message).toMatch(/company:xiaomi|ticker/);
  });
});
