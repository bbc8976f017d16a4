import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printedSchema } from '../src/schema/index.js';

describe('the schema', () => {
  it('is the committed schema/schema.graphql (run npm run schema after an API change)', () => {
    expect(readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8')).toBe(printedSchema());
  });

  it('keeps the names front-ends rely on', () => {
    const sdl = printedSchema();
    expect(sdl).toMatch(
      /interface Entity implements Node \{[^}]*\n {2}aliases: \[String!\]!\n[^}]*\n {2}id: ID!\n[^}]*\n {2}name: String!\n/,
    );
    expect(sdl).toMatch(/distributors\([^)]*brand: String!\n[^)]*market: String!\n {2}\): \[Company!\]!/);
    expect(sdl).toMatch(/entity\(name: String!\): Entity\n/);
    expect(sdl).toMatch(
      /type Evidence \{\n {2}article: Article!\n(.*\n)* {2}end: Int!\n(.*\n)* {2}quote: String!\n(.*\n)* {2}start: Int!\n {2}status: EvidenceStatus!\n(.*\n)* {2}suffix: String\n\}/,
    );
  });
});
