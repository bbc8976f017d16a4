import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../bench/corpus.js';
import { type Corpus, GENERATED_ID_PREFIXES, generateCorpus } from '../bench/generate.js';
import { readFacts } from '../src/facts/file.js';
import { graphSnapshot, keepsGraph, removeEntities, seededDb } from './support/db.js';
import { gqlClient } from './support/graphql.js';

const db = seededDb();
const gql = gqlClient(db);
const work = mkdtempSync(path.join(os.tmpdir(), 'marketgraph-bench-data-'));
const dirA = path.join(work, 'a');
const dirB = path.join(work, 'b');
let corpus: Corpus;
let before: Awaited<ReturnType<typeof graphSnapshot>>;

/**
 * Removes what the corpus added to the shared database: generated nodes (every generated id, the articles'
 * included, starts with one of GENERATED_ID_PREFIXES) and the spellings only they used. The corpus also
 * reloads the article itself, which changes nothing.
 */
const removeGenerated = () => removeEntities(db, GENERATED_ID_PREFIXES);
keepsGraph(db);

beforeAll(async () => {
  before = await graphSnapshot(db);
  corpus = generateCorpus({ entities: 300, seed: 7, dir: dirA });
  generateCorpus({ entities: 300, seed: 7, dir: dirB });
});

afterAll(async () => {
  try {
    await removeGenerated();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

describe('the synthetic corpus', () => {
  it('is a set of valid facts files of about the asked size', () => {
    expect(corpus.files.length).toBeGreaterThanOrEqual(2);
    expect(corpus.entities).toBe(300);
    expect(corpus.relationships).toBeGreaterThan(3 * 300);
    let stated = 0;
    for (const file of corpus.files) stated += readFacts(file).relationships.length;
    expect(stated).toBe(corpus.relationships);
  });

  it('is the same for the same seed, byte for byte, and different for another', () => {
    const names = readdirSync(dirA).sort();
    expect(readdirSync(dirB).sort()).toEqual(names);
    for (const name of names) {
      expect(readFileSync(path.join(dirB, name), 'utf8'), name).toBe(
        readFileSync(path.join(dirA, name), 'utf8'),
      );
    }
    const other = generateCorpus({ entities: 300, seed: 8, dir: path.join(work, 'c') });
    expect(readFileSync(other.files[0] ?? '', 'utf8')).not.toBe(readFileSync(corpus.files[0] ?? '', 'utf8'));
  });
});

describe('loaded next to the article', () => {
  beforeAll(async () => {
    const r = await loadCorpus(db, corpus.files);
    expect(r.facts).toBe(corpus.relationships + 60);
  });

  it('keeps the headline answer: Koma Trade and Nanjing Youmi distribute Xiaomi in Korea', async () => {
    for (const market of ['South Korea', 'han quoc']) {
      const { body } = await gql(
        'query($m: String!) { distributors(brand: "Xiaomi", market: $m) { name } }',
        {
          m: market,
        },
      );
      expect(body).toEqual({
        data: { distributors: [{ name: 'Koma Trade' }, { name: 'Nanjing Youmi Electronics Technology' }] },
      });
    }
  });

  it('resolves the seed names and the probes to one entity each', async () => {
    const p = corpus.probes;
    for (const name of ['Xiaomi', 'Samsung', 'Koma Trade', 'Korea', p.bigBrand, p.bigDistributor, p.market]) {
      const { body } = await gql('query($n: String!) { entity(name: $n) { name } }', { n: name });
      expect(body.errors, name).toBeUndefined();
      expect(body.data?.entity, name).not.toBeNull();
    }
  });

  it('gives Samsung and Xiaomi generated neighbours', async () => {
    const counts = await db.read(async (tx) => {
      const r = await tx.run(
        `MATCH (c:Company) WHERE c.id IN ['company:samsung', 'company:xiaomi']
         RETURN c.id AS id, COUNT { (c)-[:MANUFACTURES]->(:Product) } AS products,
                COUNT { (c)-[:COMPETES_WITH]-() } AS rivals ORDER BY id`,
      );
      return r.records.map((rec) => rec.toObject());
    });
    for (const c of counts) {
      expect(c.products, c.id).toBeGreaterThan(7);
      expect(c.rivals, c.id).toBeGreaterThan(3);
    }
  });

  it('loads again without changing anything, and removing it restores the graph', async () => {
    const loaded = await graphSnapshot(db);
    await loadCorpus(db, corpus.files);
    expect(await graphSnapshot(db)).toEqual(loaded);
    await removeGenerated();
    expect(await graphSnapshot(db)).toEqual(before);
  });
});
