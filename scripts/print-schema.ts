// npm run schema: writes the printed schema to schema/schema.graphql, the reviewed copy of the API that
// tests/schema.test.ts holds the code to.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/paths.js';
import { printedSchema } from '../src/schema/index.js';

const schemaFile = path.join(projectRoot, 'schema', 'schema.graphql');
writeFileSync(schemaFile, printedSchema());
console.log(`Wrote ${path.relative(process.cwd(), schemaFile)}`);
