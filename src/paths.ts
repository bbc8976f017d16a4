import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The project's root (where package.json is), whether the code runs from src/ or compiled to dist/src/. */
export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
