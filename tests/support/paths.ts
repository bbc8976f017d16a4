import { readdirSync } from 'node:fs';
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
