import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyCommand } from '../src/keys/commands.js';
import { graphSnapshot } from './support/db.js';
import { type GqlResponse, gqlClient } from './support/graphql.js';
import { root } from './support/paths.js';
import { privateNeo4j } from './support/private.js';

/*
 * Growing the graph through ingestArticle and upsertEntity, on a Neo4j of this file's own (seeded with the
 * real article): the fictional second article (tests/fixtures/busan-store.facts.json) names the real one's
 * entities under other spellings and gives no entity an id.
 */

const fixture = path.join(root, 'tests', 'fixtures', 'busan-store.facts.json');
const busan = () => JSON.parse(readFileSync(fixture, 'utf8'));
const ARTICLE = 'article:busan-store-test-vi';

const neo = privateNeo4j();
let gql: ReturnType<typeof gqlClient>;
const keys = { read: '', write: '', admin: '', revoked: '' };

async function makeKey(scope: string, name: string, revoke = false): Promise<string> {
  const lines: string[] = [];
  await keyCommand(neo.db, ['create', '--scope', scope, '--name', name], { out: (l) => lines.push(l) });
  const key = lines.at(-1) ?? '';
  if (revoke)
    await keyCommand(neo.db, ['revoke', /^mg_([0-9a-f]{16})_/.exec(key)?.[1] ?? ''], { out: () => {} });
  return key;
}

beforeAll(async () => {
  gql = gqlClient(neo.db);
  keys.read = await makeKey('read', 'ingest test reader');
  keys.write = await makeKey('write', 'ingest test writer');
  keys.admin = await makeKey('admin', 'ingest test admin');
  keys.revoked = await makeKey('write', 'ingest test revoked', true);
});

const INGEST = `mutation Ingest($input: IngestArticleInput!) {
  ingestArticle(input: $input) {
    article { key title }
    created { index by spelling entity { key name } }
    matched { index by spelling entity { key name } }
    facts mentions retracted unsupported stillRetracted changed
    change { mutation keyName touched counts { name value } }
  }
}`;

const as = (key: string) => ({ authorization: `Bearer ${key}` });
/** A facts document as GraphQL takes it: the same, with statuses as the EvidenceStatus enum's values. */
function asInput(doc: any) {
  return {
    ...doc,
    relationships: doc.relationships.map((r: any) => ({
      ...r,
      evidence: r.evidence.map((e: any) => ({ ...e, status: e.status.toUpperCase() })),
    })),
  };
}
const ingest = (doc: unknown, key = keys.write) => gql(INGEST, { input: asInput(doc) }, as(key));
const codeOf = (r: GqlResponse) => r.body.errors?.[0]?.extensions?.code;

/** Runs a request that must be refused, and checks it changed nothing. */
async function refused(request: () => Promise<GqlResponse>) {
  const before = await graphSnapshot(neo.db);
  const response = await request();
  expect(await graphSnapshot(neo.db), 'the graph after a refused write').toEqual(before);
  expect(response.body.data?.ingestArticle ?? response.body.data?.upsertEntity ?? null).toBeNull();
  return response;
}

describe('ingestArticle: the next article', () => {
  it('finds the entities the article names under other spellings, and creates the new ones', async () => {
    const { body } = await ingest(busan());
    expect(body.errors).toBeUndefined();
    const r = body.data?.ingestArticle;
    expect(r.article).toEqual({ key: ARTICLE, title: busan().article.title });
    expect(r.matched.map((m: any) => [m.spelling, m.entity.key, m.by])).toEqual([
      ['XIAOMI', 'company:xiaomi', 'NAME'],
      ['KOMA-TRADE', 'company:koma-trade', 'NAME'],
      ['Samsung', 'company:samsung', 'NAME'],
      ['Hàn quốc', 'market:south-korea', 'NAME'],
    ]);
    expect(r.created.map((c: any) => [c.entity.key, c.entity.name, c.by])).toEqual([
      ['company:busan-mobile-hub', 'Busan Mobile Hub', 'NEW'],
      ['product:mi-band-3', 'Mi Band 3', 'NEW'],
      ['city:busan', 'Busan', 'NEW'],
    ]);
    expect(r).toMatchObject({ facts: 6, retracted: [], unsupported: [], stillRetracted: [], changed: true });
    expect(r.change).toMatchObject({ mutation: 'ingestArticle', keyName: 'ingest test writer' });
    expect(r.change.touched).toEqual(expect.arrayContaining([ARTICLE, 'company:xiaomi', 'city:busan']));
  });

  it('keeps the new spelling as an alias: "Tiểu Mễ" now finds Xiaomi', async () => {
    const { body } = await gql('{ entity(name: "tieu me") { key name aliases } }');
    expect(body.data?.entity).toMatchObject({ key: 'company:xiaomi', name: 'Xiaomi' });
    expect(body.data?.entity.aliases).toContain('Tiểu Mễ');
  });

  it('answers the headline question with the new distributor, evidence anchored by offsets and text', async () => {
    const { body } = await gql(`{
      distributors(brand: "Xiaomi", market: "Korea") {
        name
        distributes(brand: "Xiaomi", market: "Korea") {
          edges { node { name } status evidence { quote start end prefix suffix status article { key } } }
        }
      }
    }`);
    expect(body.errors).toBeUndefined();
    const hub = body.data?.distributors.find((d: any) => d.name === 'Busan Mobile Hub');
    const text: string = busan().article.text;
    const quote = 'có thể cũng sẽ phân phối Mi Band 3 tại Hàn quốc';
    const start = text.indexOf(quote);
    expect(hub?.distributes.edges).toEqual([
      {
        node: { name: 'Mi Band 3' },
        status: 'SPECULATED',
        evidence: [
          {
            quote,
            start,
            end: start + quote.length,
            prefix: text.slice(start - 32, start),
            suffix: text.slice(start + quote.length, start + quote.length + 32),
            status: 'SPECULATED',
            article: { key: ARTICLE },
          },
        ],
      },
    ]);
  });

  it('links every entity the text names, whether or not a fact does', async () => {
    const found = await neo.db.read(async (tx) => {
      const r = await tx.run('MATCH (:Article {id: $id})-[m:MENTIONS]->(e) RETURN e.id AS id ORDER BY id', {
        id: ARTICLE,
      });
      return r.records.map((rec) => rec.get('id'));
    });
    expect(found).toEqual([
      'city:busan',
      'company:busan-mobile-hub',
      'company:koma-trade',
      'company:samsung',
      'company:xiaomi',
      'market:south-korea',
      'product:mi-band-3',
    ]);
  });

  it('changes nothing when the same article is ingested again', async () => {
    const before = await graphSnapshot(neo.db);
    const { body } = await ingest(busan());
    expect(body.errors).toBeUndefined();
    expect(body.data?.ingestArticle).toMatchObject({ changed: false, change: null, created: [] });
    expect(await graphSnapshot(neo.db)).toEqual(before);
  });

  it('retracts what a changed article no longer states, and keeps what other articles support', async () => {
    const doc = busan();
    doc.relationships = doc.relationships.filter(
      (r: any) => r.type !== 'HEADQUARTERED_IN' && r.type !== 'COMPETES_WITH',
    );
    const { body } = await ingest(doc);
    expect(body.errors).toBeUndefined();
    expect(body.data?.ingestArticle).toMatchObject({
      retracted: ['company:busan-mobile-hub|HEADQUARTERED_IN|city:busan'],
      unsupported: ['company:xiaomi|COMPETES_WITH|company:samsung'],
      changed: true,
    });

    const read = await gql(`{
      entity(name: "Busan Mobile Hub") {
        ... on Company {
          hidden: headquarteredIn { totalCount }
          shown: headquarteredIn(includeRetracted: true) {
            edges { status retraction { keyId by reason } evidence { quote } }
          }
        }
      }
      xiaomi: entity(name: "Xiaomi") {
        ... on Company { competesWith { edges { node { name } status evidence { article { key } } } } }
      }
    }`);
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data?.entity.hidden.totalCount).toBe(0);
    expect(read.body.data?.entity.shown.edges).toEqual([
      {
        status: 'RETRACTED',
        retraction: {
          keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
          by: 'ingest test writer',
          reason: `no longer stated by ${ARTICLE} (ingested again without it)`,
        },
        evidence: [{ quote: 'Busan Mobile Hub, một nhà bán lẻ có trụ sở tại Busan' }],
      },
    ]);
    const samsung = read.body.data?.xiaomi.competesWith.edges.find((e: any) => e.node.name === 'Samsung');
    expect(samsung.evidence.map((e: any) => e.article.key)).not.toContain(ARTICLE);
    expect(samsung.status).not.toBe('RETRACTED');
  });

  it('never revives a retraction: the original article again leaves the fact retracted, and says so', async () => {
    const { body } = await ingest(busan());
    expect(body.errors).toBeUndefined();
    expect(body.data?.ingestArticle.stillRetracted).toEqual([
      'company:busan-mobile-hub|HEADQUARTERED_IN|city:busan',
    ]);
  });

  it('records each ingest in the change log, which only admins read', async () => {
    const page = await gql(
      '{ changes(first: 2) { nodes { mutation keyName } hasNextPage } }',
      {},
      as(keys.admin),
    );
    expect(page.body.errors).toBeUndefined();
    expect(page.body.data?.changes.nodes).toEqual([
      { mutation: 'ingestArticle', keyName: 'ingest test writer' },
      { mutation: 'ingestArticle', keyName: 'ingest test writer' },
    ]);
    expect(page.body.data?.changes.hasNextPage).toBe(true);
    const denied = await gql('{ changes(first: 2) { nodes { id } } }', {}, as(keys.write));
    expect(codeOf(denied)).toBe('FORBIDDEN');
  });
});

describe('ingestArticle refuses bad input, naming it, and changes nothing', () => {
  it('a quote that is not in the article', async () => {
    const doc = busan();
    doc.relationships[0].evidence[0].quote = 'XIAOMI đóng cửa hàng';
    const r = await refused(() => ingest(doc));
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.extensions?.problems).toEqual([
      {
        path: 'input.relationships[0].evidence[0].quote',
        message: 'quote "XIAOMI đóng cửa hàng" is not in the article',
      },
    ]);
  });

  it('a quote found twice without offsets to choose', async () => {
    const doc = busan();
    doc.relationships[0].evidence[0].quote = 'Mi Band 3';
    const r = await refused(() => ingest(doc));
    expect(r.body.errors?.[0]?.message).toMatch(
      /input\.relationships\[0\]\.evidence\[0\]\.quote: quote "Mi Band 3" occurs 3 times in the article, at 149\.\.158, 247\.\.256, 363\.\.372/,
    );
  });

  it('a relationship between the wrong kinds, and one to an entity the article does not give', async () => {
    const doc = busan();
    doc.relationships[0].from = 'Hàn quốc';
    doc.relationships[1].to = 'Nobody Inc';
    const r = await refused(() => ingest(doc));
    expect(r.body.errors?.[0]?.extensions?.problems).toEqual([
      { path: 'input.relationships[0].from', message: 'MANUFACTURES cannot start at a Market (Hàn quốc)' },
      {
        path: 'input.relationships[1].to',
        message:
          'unknown entity "Nobody Inc": neither an id nor the name of an entity without one in this document',
      },
    ]);
  });

  it('an id the graph holds as another kind: CONFLICT', async () => {
    const doc = busan();
    doc.entities[4].id = 'company:xiaomi';
    doc.relationships = [];
    const r = await refused(() => ingest(doc));
    expect(codeOf(r)).toBe('CONFLICT');
    expect(r.body.errors?.[0]?.message).toBe(
      'input.entities[4].kind: "company:xiaomi" is already in the graph as a Company, not a Product',
    );
  });

  it('a spelling that could mean several entities: AMBIGUOUS, listing them', async () => {
    for (const id of ['company:twin-north', 'company:twin-south']) {
      const made = await gql(
        'mutation($input: EntityInput!) { upsertEntity(input: $input) { created } }',
        { input: { id, kind: 'Company', name: id.replace('company:', ''), aliases: ['Twin Traders'] } },
        as(keys.write),
      );
      expect(made.body.data?.upsertEntity.created).toBe(true);
    }
    const doc = busan();
    doc.entities.push({ kind: 'Company', name: 'TWIN TRADERS' });
    const r = await refused(() => ingest(doc));
    expect(codeOf(r)).toBe('AMBIGUOUS');
    expect(r.body.errors?.[0]?.extensions?.candidates).toEqual([
      { id: 'company:twin-north', name: 'twin-north' },
      { id: 'company:twin-south', name: 'twin-south' },
    ]);
  });

  it('a wrong type in the input is refused by GraphQL before anything runs', async () => {
    const doc = busan();
    doc.entities[0].kind = 'Spaceship';
    const r = await refused(() => ingest(doc));
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.message).toMatch(/Value "Spaceship" does not exist in "EntityKind" enum/);
  });

  it('an oversized payload: 413, nothing read into the graph', async () => {
    const doc = busan();
    doc.article.text = `${doc.article.text}${'x'.repeat(2_000_000)}`;
    const r = await refused(() => ingest(doc));
    expect(r.status).toBe(413);
  });

  it('without a key, with a read key, with a revoked key', async () => {
    const none = await refused(() => gql(INGEST, { input: asInput(busan()) }));
    expect(codeOf(none)).toBe('UNAUTHENTICATED');
    const reader = await refused(() => ingest(busan(), keys.read));
    expect(codeOf(reader)).toBe('FORBIDDEN');
    const revoked = await refused(() => ingest(busan(), keys.revoked));
    expect(codeOf(revoked)).toBe('UNAUTHENTICATED');
  });
});

describe('upsertEntity', () => {
  const UPSERT = `mutation($input: EntityInput!) {
    upsertEntity(input: $input) {
      created changed
      resolution { by spelling }
      entity { key name nameVi aliases description ... on Product { category } }
      change { mutation touched }
    }
  }`;
  const upsert = (input: unknown) => gql(UPSERT, { input }, as(keys.write));

  it('creates an entity given by name only, with an id from its kind and name', async () => {
    const { body } = await upsert({
      kind: 'Product',
      name: 'Mi Smart Scale',
      properties: { category: 'scale' },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.upsertEntity).toMatchObject({
      created: true,
      changed: true,
      resolution: { by: 'NEW', spelling: null },
      entity: { key: 'product:mi-smart-scale', name: 'Mi Smart Scale', category: 'scale' },
      change: { mutation: 'upsertEntity', touched: ['product:mi-smart-scale'] },
    });
  });

  it('finds an entity by a spelling and adds only what it lacks', async () => {
    const { body } = await upsert({
      kind: 'Product',
      name: 'MI SMART SCALE',
      aliases: ['cân thông minh Xiaomi'],
      properties: { category: 'kitchen scale' },
    });
    expect(body.data?.upsertEntity).toMatchObject({
      created: false,
      resolution: { by: 'NAME', spelling: 'MI SMART SCALE' },
      entity: { name: 'Mi Smart Scale', aliases: ['cân thông minh Xiaomi'], category: 'scale' },
    });
  });

  it('given its id, takes the new values and keeps the old name as an alias', async () => {
    const { body } = await upsert({
      id: 'product:mi-smart-scale',
      kind: 'Product',
      name: 'Mi Body Composition Scale',
      properties: { category: 'scale' },
    });
    expect(body.data?.upsertEntity.entity).toMatchObject({
      key: 'product:mi-smart-scale',
      name: 'Mi Body Composition Scale',
      aliases: ['cân thông minh Xiaomi', 'Mi Smart Scale'],
    });
    const again = await upsert({
      id: 'product:mi-smart-scale',
      kind: 'Product',
      name: 'Mi Body Composition Scale',
    });
    expect(again.body.data?.upsertEntity).toMatchObject({ changed: false, change: null });
  });

  it('refuses a property its kind does not have, and an id of another kind', async () => {
    const wrong = await refused(() =>
      upsert({ kind: 'Company', name: 'Prop Co', properties: { category: 'x' } }),
    );
    expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
    expect(wrong.body.errors?.[0]?.message).toMatch(/^input\.properties/);
    const clash = await refused(() => upsert({ id: 'company:xiaomi', kind: 'Product', name: 'Xiaomi' }));
    expect(codeOf(clash)).toBe('CONFLICT');
  });
});

describe('npm run ingest', () => {
  it('ingests a facts file and says what it matched and created', () => {
    const doc = busan();
    const r = spawnSync('npx', ['tsx', 'src/facts/cli.ts', fixture], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NEO4J_URI: neo.local.uri, NEO4J_USER: 'neo4j', NEO4J_PASSWORD: neo.password },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Ingested ${doc.article.id} from ${fixture}`);
    expect(r.stdout).toContain('7 entities (0 created, 7 matched), 6 relationships');
    expect(r.stdout).toContain('matched "Hàn quốc" to South Korea (market:south-korea)');
  });
});
