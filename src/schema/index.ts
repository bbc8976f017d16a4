import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './entity.js';
import './relations.js';
import './lookup.js';
import './distribution.js';
import './lists.js';
import './search.js';
import './explore.js';
import './stats.js';
import './apiKeys.js';
import './changes.js';
import './ingest.js';
import './corrections.js';
import './export.js';

export const schema = builder.toSchema();

/** The SDL committed as schema/schema.graphql: sorted, so a diff shows only real API changes. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
