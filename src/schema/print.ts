import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../paths.js';
import { printedSchema } from './index.js';

export const schemaFile = path.join(projectRoot, 'schema', 'schema.graphql');

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(schemaFile, printedSchema());
  console.log(`Wrote ${path.relative(process.cwd(), schemaFile)}`);
}
