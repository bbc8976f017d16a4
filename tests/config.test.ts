import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';

describe('configuration', () => {
  it('has friendly local defaults', () => {
    const c = parseConfig({});
    expect(c.port).toBe(4000);
    expect(c.graphiql).toBe(true);
    expect(c.neo4j.uri).toBeUndefined();
    expect(c.neo4j.local.dataDir).toBe('.data/neo4j');
    expect(c.facts).toEqual({ load: 'if-empty', file: 'facts/xiaomi-korea.facts.json' });
  });

  it('turns GraphiQL off in production unless asked for', () => {
    expect(parseConfig({ NODE_ENV: 'production' }).graphiql).toBe(false);
    expect(parseConfig({ NODE_ENV: 'production', GRAPHIQL: 'true' }).graphiql).toBe(true);
  });

  it('serves the explorer in every mode unless EXPLORER=false', () => {
    for (const NODE_ENV of ['development', 'test', 'production']) {
      expect(parseConfig({ NODE_ENV }).explorer).toBe(true);
      expect(parseConfig({ NODE_ENV, EXPLORER: 'false' }).explorer).toBe(false);
    }
    expect(() => parseConfig({ EXPLORER: 'perhaps' })).toThrow(/EXPLORER/);
  });

  it('leaves reading open unless READ_ACCESS=key', () => {
    expect(parseConfig({}).readAccess).toBe('open');
    expect(parseConfig({ NODE_ENV: 'production' }).readAccess).toBe('open');
    expect(parseConfig({ READ_ACCESS: 'key' }).readAccess).toBe('key');
    expect(() => parseConfig({ READ_ACCESS: 'closed' })).toThrow(/READ_ACCESS/);
  });

  it('accepts bolt://, neo4j:// and neo4j+s:// URIs', () => {
    for (const uri of ['bolt://db:7687', 'neo4j://cluster:7687', 'neo4j+s://x.databases.neo4j.io']) {
      expect(parseConfig({ NEO4J_URI: uri, NEO4J_PASSWORD: 'p' }).neo4j.uri).toBe(uri);
    }
  });

  it('names every invalid setting', () => {
    let message = '';
    try {
      parseConfig({ NEO4J_URI: 'http://db', PORT: 'eighty' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/NEO4J_URI: .*bolt:\/\//);
    expect(message).toMatch(/PORT: .*number/);
    expect(() => parseConfig({ NEO4J_URI: 'bolt://db:7687' })).toThrow(/NEO4J_PASSWORD is required/);
    expect(() => parseConfig({ NEO4J_HEAP: 'lots' })).toThrow(/NEO4J_HEAP/);
  });
});
