import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeIngest } from '../src/facts/cli.js';
import { loadFacts } from '../src/facts/load.js';
import { keyCommand } from '../src/keys/commands.js';
import { gqlClient } from './support/graphql.js';
import { root } from './support/paths.js';
import { privateNeo4j } from './support/private.js';

/*
 * The README's walkthrough (between its walkthrough markers), step by step on a Neo4j of this file's own: the
 * key, the ingest and its output, then every GraphQL example with the answer the README shows.
 */

const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const walkthrough = /<!-- walkthrough:start -->([\s\S]*?)<!-- walkthrough:end -->/.exec(readme)?.[1] ?? '';
/** Code blocks of the walkthrough, indented under its numbered steps. */
const blocks = [...walkthrough.matchAll(/^ *```(\w+)\n([\s\S]*?)^ *```$/gm)].map((m) => ({
  lang: m[1] ?? '',
  body: (m[2] ?? '').replace(/^ {3}/gm, ''),
}));

const neo = privateNeo4j();
let key = '';

beforeAll(async () => {
  const command = blocks.find((b) => b.lang === 'sh' && b.body.includes('npm run key'))?.body ?? '';
  const argv = /npm run key -- (.*)/.exec(command)?.[1]?.match(/"[^"]*"|\S+/g) ?? [];
  const lines: string[] = [];
  await keyCommand(
    neo.db,
    argv.map((a) => a.replace(/^"|"$/g, '')),
    { out: (l) => lines.push(l) },
  );
  key = lines.at(-1) ?? '';
});

describe("the README's walkthrough", () => {
  it('has its steps', () => {
    expect(blocks.map((b) => b.lang)).toEqual([
      'sh',
      'sh',
      'text',
      'graphql',
      'json',
      'graphql',
      'json',
      'graphql',
      'json',
    ]);
  });

  it('ingests the article with the output it shows', async () => {
    const command = blocks[1]?.body ?? '';
    const file = /npm run ingest -- (\S+)/.exec(command)?.[1] ?? '';
    const [report] = await loadFacts(neo.db, path.join(root, file));
    if (!report) throw new Error('no report');
    const shown = (blocks[2]?.body ?? '').trim().split('\n');
    const printed = describeIngest(file, 'Neo4j at bolt://localhost:7687', report);
    // The first line's node and relationship counts depend on what the database held before.
    expect(printed[0]?.replace(/\(\d+ nodes and \d+ relationships/, '(… nodes and … relationships')).toBe(
      shown[0],
    );
    expect(printed.slice(1)).toEqual(shown.slice(1));
  });

  it('answers each example as shown', async () => {
    const gql = gqlClient(neo.db);
    const pairs = blocks
      .filter((b) => b.lang === 'graphql')
      .map((b, i) => ({
        query: b.body,
        answer: JSON.parse(blocks.filter((x) => x.lang === 'json')[i]?.body ?? 'null'),
      }));
    expect(pairs).toHaveLength(3);
    for (const { query, answer } of pairs) {
      const { body } = await gql(query, {}, { authorization: `Bearer ${key}` });
      expect(body, query).toEqual(answer);
    }
  });
});
