import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const articleFactsPath = path.join(root, 'facts', 'xiaomi-korea.facts.json');
export const articlePath = path.join(root, 'facts', 'xiaomi-korea.vi.txt');

/** The user's manual and its reference pages: README.md, then docs/*.md in name order. */
export const manuals = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

/**
 * A manual's text as the example checks read it: without the README's walkthrough, whose examples write and
 * are run in order, with a key, on a Neo4j of their own (tests/walkthrough.int.test.ts).
 */
export function manualText(file: string): string {
  return readFileSync(path.join(root, file), 'utf8').replace(
    /<!-- walkthrough:start -->[\s\S]*?<!-- walkthrough:end -->/,
    '',
  );
}
