import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, type DocumentNode, Kind, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { filterVariables, OPERATIONS } from '../explorer/operations.js';
import { EMPTY_STATE, formatState, parseState, type ViewState } from '../explorer/state.js';
import { root } from './support/paths.js';

/** The explorer's own logic that needs no browser: its operations against the API, its URL state. */

const schema = buildSchema(readFileSync(path.join(root, 'schema', 'schema.graphql'), 'utf8'));

describe('the explorer’s operations', () => {
  it.each(Object.entries(OPERATIONS))('%s is valid against schema/schema.graphql', (_name, text) => {
    const document: DocumentNode = parse(text);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });

  it('asks no introspection (it is off in production)', () => {
    for (const text of Object.values(OPERATIONS)) expect(text).not.toContain('__');
  });

  it('names every operation, so the service logs which one ran', () => {
    for (const text of Object.values(OPERATIONS)) {
      const operations = parse(text).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      expect(operations.map((o) => o.name?.value)).toEqual([expect.stringMatching(/^Explorer/)]);
    }
  });

  it('leaves the filters at their default out of the variables', () => {
    expect(filterVariables({ minStatus: 'SPECULATED' })).toEqual({});
    expect(filterVariables({ types: ['DISTRIBUTES'], minStatus: 'STATED' })).toEqual({
      types: ['DISTRIBUTES'],
      minStatus: 'STATED',
    });
  });
});

describe('the explorer’s URL state', () => {
  it('has an empty query string for the empty view', () => {
    expect(formatState(EMPTY_STATE)).toBe('');
    expect(parseState('')).toEqual(EMPTY_STATE);
  });

  it('round-trips a full view, names with diacritics and commas included', () => {
    const state: ViewState = {
      focus: 'Hàn Quốc',
      node: 'Koma Trade',
      depth: 2,
      types: ['DISTRIBUTES', 'PRESENT_IN'],
      minStatus: 'STATED',
      expand: ['Samsung', 'Samsung and LG: entry will not be easy, they say'],
      hide: ['LG'],
      edge: 'rel:abc',
      quote: 2,
      from: 'Koma Trade',
      to: 'Samsung',
    };
    const query = formatState(state);
    expect(query).toContain('focus=H%C3%A0n+Qu%E1%BB%91c');
    expect(parseState(query)).toEqual(state);
  });

  it('falls back to the default of a setting it cannot read', () => {
    const state = parseState('?depth=9&min=SURE&types=DISTRIBUTES,drop%20table,&quote=-1&focus=%20');
    expect(state.depth).toBe(1);
    expect(state.minStatus).toBe('SPECULATED');
    expect(state.types).toEqual(['DISTRIBUTES']);
    expect(state.quote).toBe(0);
    expect(state.focus).toBeNull();
  });
});
