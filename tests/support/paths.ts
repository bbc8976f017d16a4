import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const articleFactsPath = path.join(root, 'facts', 'xiaomi-korea.facts.json');
export const articlePath = path.join(root, 'facts', 'xiaomi-korea.vi.txt');
