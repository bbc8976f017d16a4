import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { FactsError } from '../src/facts/file.js';
import { loadFacts } from '../src/facts/load.js';
import { graphSnapshot, keepsGraph, removeEntities, seededDb } from './support/db.js';
import { articleFacts, writeFactsFile } from './support/facts.js';
import { articleFactsPath, root } from './support/paths.js';

const db = seededDb();
// This file loads the article again (its own ids, which must change nothing) and facts that must be refused
// or rolled back; the entities only it adds have ids of its own, removed after, should one ever stay.
const OWN = 'company:load-test-';
keepsGraph(db);
afterAll(() => removeEntities(db, [OWN]));

describe('loading the article facts', () => {
  it('puts every entity, fact and mention in the graph with its evidence', async () => {
    const counts = await db.read(async (tx) => {
      const r = await tx.run(
        `MATCH (a:Article {id: 'article:xiaomi-korea-vi'})
         RETURN COUNT { MATCH (n:Entity) WHERE NOT n:Article } AS entities,
                COUNT { MATCH (:Entity)-[r]->(:Entity) WHERE type(r) <> 'MENTIONS' AND r.id STARTS WITH '' } AS facts,
                COUNT { MATCH (a)-[:MENTIONS]->() } AS mentions,
                COUNT { MATCH ()-[r]->() WHERE r.evidenceQuotes IS NOT NULL AND size(r.evidenceQuotes) = 0 } AS bare`,
      );
      return r.records[0]?.toObject();
    });
    const facts = articleFacts();
    expect(counts).toEqual({
      entities: facts.entities.length,
      facts: facts.relationships.length,
      mentions: facts.entities.length,
      bare: 0,
    });
  });

  it('changes nothing when run again', async () => {
    const before = await graphSnapshot(db);
    const [report] = await loadFacts(db, articleFactsPath);
    expect(report).toMatchObject({ changed: false, change: null, nodesCreated: 0, relationshipsCreated: 0 });
    expect(report?.created).toEqual([]);
    expect(await graphSnapshot(db)).toEqual(before);
  });
});

describe('a rejected facts leaves the graph as it was', () => {
  it('refuses a quote mismatch before writing anything', async () => {
    const before = await graphSnapshot(db);
    const facts = articleFacts();
    facts.entities.push({
      id: `${OWN}only-in-bad-file`,
      kind: 'Company',
      name: 'Only In Bad File',
      aliases: [],
    });
    facts.relationships.push({
      type: 'COMPETES_WITH',
      from: `${OWN}only-in-bad-file`,
      to: 'company:xiaomi',
      evidence: [{ quote: 'not in the article', start: 0, end: 18, status: 'stated' }],
    });
    await expect(loadFacts(db, writeFactsFile(facts))).rejects.toThrow(FactsError);
    expect(await graphSnapshot(db)).toEqual(before);
  });

  it('rolls back a facts file that is valid on its own but clashes with the graph', async () => {
    const before = await graphSnapshot(db);
    const facts = articleFacts();
    // New entities and facts first, then an id the graph already holds as another kind.
    facts.entities.unshift({
      id: `${OWN}rolled-back`,
      kind: 'Company',
      name: 'Rolled Back Ltd',
      aliases: [],
    });
    facts.relationships.push({
      ...facts.relationships.find((r) => r.type === 'COMPETES_WITH'),
      from: `${OWN}rolled-back`,
    });
    const seoul = facts.entities.find((e) => e.id === 'city:seoul');
    if (seoul) seoul.kind = 'Market';
    const error = await loadFacts(db, writeFactsFile(facts)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FactsError);
    expect((error as FactsError).problems[0]).toMatchObject({
      message: '"city:seoul" is already in the graph as a City, not a Market',
    });
    expect(await graphSnapshot(db)).toEqual(before);
  });

  it('npm run load exits 1 naming the file, the path and the problem', () => {
    const facts = articleFacts();
    facts.relationships[2].to = 'product:nonexistent';
    const file = writeFactsFile(facts);
    const c = inject('neo4j');
    const r = spawnSync('npx', ['tsx', 'src/facts/cli.ts', file], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NEO4J_URI: c.uri, NEO4J_USER: c.user, NEO4J_PASSWORD: c.password },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('relationships[2].to: unknown entity "product:nonexistent"');
  });

  it('npm run load loads a good file and says what it did', () => {
    const c = inject('neo4j');
    const r = spawnSync('npx', ['tsx', 'src/facts/cli.ts', articleFactsPath], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NEO4J_URI: c.uri, NEO4J_USER: c.user, NEO4J_PASSWORD: c.password },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /32 entities \(0 created, 32 matched\), 60 relationships, 32 mentions; nothing changed\./,
    );
  });
});
