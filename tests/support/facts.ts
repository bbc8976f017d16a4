import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { articleFactsPath, articlePath } from './paths.js';

// Tests edit facts files freely, including into invalid shapes: deliberately loose.
export type Facts = { article: any; entities: any[]; relationships: any[] };

export function articleFacts(): Facts {
  return JSON.parse(readFileSync(articleFactsPath, 'utf8')) as Facts;
}

/**
 * Writes a facts file (object or raw text) next to a copy of the article, in a fresh temp directory that is
 * removed when the test that asked for it finishes (so call it inside a test).
 */
export function writeFactsFile(facts: Facts | string, name = 'facts.json'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'marketgraph-facts-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(articlePath, path.join(dir, 'xiaomi-korea.vi.txt'));
  const file = path.join(dir, name);
  writeFileSync(file, typeof facts === 'string' ? facts : JSON.stringify(facts, null, 2));
  return file;
}
