import { describe, expect, it } from 'vitest';
import { testApp } from './support/app.js';
import { countingDb, seededDb } from './support/db.js';
import { gqlClient } from './support/graphql.js';
import { manuals, manualText } from './support/paths.js';

const db = seededDb();
const counting = countingDb(db);
const gql = gqlClient(counting);

async function gqlRaw(query: string, operationName: string) {
  const app = testApp({ db, graphiql: false });
  const res = await app.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, operationName }),
  });
  return (await res.json()) as { data?: unknown; errors?: unknown[] };
}

/** The README and the reference pages: every ```graphql block followed by a ```json block is an example. */

function examplesOf(file: string) {
  const text = manualText(file);
  return [...text.matchAll(/```graphql\n([\s\S]*?)```\n```json\n([\s\S]*?)```/g)].map((m, i) => ({
    file,
    n: i + 1,
    query: m[1] ?? '',
    answer: JSON.parse(m[2] ?? 'null') as unknown,
  }));
}

const examplesByFile = new Map(manuals.map((file) => [file, examplesOf(file)]));
const examples = [...examplesByFile.values()].flat();
const readmeExamples = examplesByFile.get('README.md') ?? [];

describe('the examples of the README and docs/', () => {
  it('are there', () => {
    expect(readmeExamples.length).toBeGreaterThanOrEqual(2);
    expect(examplesByFile.get('docs/api.md')?.length ?? 0).toBeGreaterThanOrEqual(6);
  });

  it.each(examples.map((e) => [e.file, e.n, e] as const))(
    '%s example %i gives the answer it shows',
    async (_file, _n, e) => {
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
    const [first, second] = readmeExamples;
    expect(await statementsFor(first?.query ?? '')).toBe(1);
    expect(await statementsFor(second?.query ?? '')).toBe(1);
  });
});

describe('the queries GraphiQL opens with', () => {
  it('all run without errors and answer something', async () => {
    const { DEFAULT_QUERY } = await import('../src/http/examples.js');
    const names = [...DEFAULT_QUERY.matchAll(/^query (\w+)/gm)].map((m) => m[1] ?? '');
    expect(names.length).toBeGreaterThanOrEqual(6);
    for (const name of names) {
      const res = await gqlRaw(DEFAULT_QUERY, name);
      expect(res.errors, name).toBeUndefined();
      expect(JSON.stringify(res.data), name).not.toMatch(/\[\]|null/);
    }
  });
});
