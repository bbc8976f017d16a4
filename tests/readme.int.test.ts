import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFacts } from '../src/facts/load.js';
import { createApp } from '../src/yoga.js';
import { CountingDb, testDb } from './support/db.js';
import { gqlClient } from './support/graphql.js';
import { articleFactsPath, root } from './support/paths.js';

const db = testDb();
const counting = new CountingDb(db.driver, db.database, db.txTimeoutMs);
const gql = gqlClient(counting);

async function gqlRaw(query: string, operationName: string) {
  const app = createApp({ db, graphiql: false });
  const res = await app.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, operationName }),
  });
  return (await res.json()) as { data?: unknown; errors?: unknown[] };
}

const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```\n```json\n([\s\S]*?)```/g)].map((m) => ({
  query: m[1] ?? '',
  answer: JSON.parse(m[2] ?? 'null') as unknown,
}));

beforeAll(async () => {
  await loadFacts(db, articleFactsPath);
});
afterAll(() => db.close());

describe('the README examples', () => {
  it('are there', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  it.each(examples.map((e, i) => [i + 1, e] as const))(
    'example %i gives the answer the README shows',
    async (_i, e) => {
      const { body } = await gql(e.query);
      expect(body).toEqual(e.answer);
    },
  );
});

describe('round trips', () => {
  const statementsFor = async (query: string) => {
    counting.statements = 0;
    const { body } = await gql(query);
    expect(body.errors).toBeUndefined();
    return counting.statements;
  };

  it('do not grow with the number of rows', async () => {
    const one = await statementsFor(
      '{ companies(first: 1, where: { nameContains: "xiaomi" }) { edges { node { name competesWith { edges { node { name } evidence { article { key } } } } } } } }',
    );
    const all = await statementsFor(
      '{ companies(first: 6) { edges { node { name competesWith { edges { node { name } evidence { article { key } } } } } } } }',
    );
    expect(all).toBe(one);
    expect(all).toBe(2);
  });

  it('are what the README says for the headline questions', async () => {
    const [first, second] = examples;
    expect(await statementsFor(first?.query ?? '')).toBe(1);
    expect(await statementsFor(second?.query ?? '')).toBe(1);
  });
});

describe('the queries GraphiQL opens with', () => {
  it('all run without errors and answer something', async () => {
    const { DEFAULT_QUERY } = await import('../src/examples.js');
    const names = [...DEFAULT_QUERY.matchAll(/^query (\w+)/gm)].map((m) => m[1] ?? '');
    expect(names.length).toBeGreaterThanOrEqual(6);
    for (const name of names) {
      const res = await gqlRaw(DEFAULT_QUERY, name);
      expect(res.errors, name).toBeUndefined();
      expect(JSON.stringify(res.data), name).not.toMatch(/\[\]|null/);
    }
  });
});
