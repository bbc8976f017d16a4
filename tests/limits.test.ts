import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { buildSchema, type GraphQLError, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { directivesRule } from '../src/http/limits.js';

/** Where a kept library is weaker than what the edge needs, and what the edge does instead. */

const schema = buildSchema('type Query { entity: Entity } type Entity { name: String }');
const spreads = (n: number) =>
  `{ entity { ${Array.from({ length: n }, () => '...N @skip(if: false)').join(' ')} } } fragment N on Entity { name }`;

function armorVerdicts(query: string, n: number): GraphQLError[] {
  const rejected: GraphQLError[] = [];
  const errors = validate(schema, parse(query), [
    maxDirectivesRule({ n, propagateOnRejection: false, onReject: [(_c, e) => rejected.push(e)] }),
  ]);
  return [...errors, ...rejected];
}

describe('counting directives', () => {
  it('Armor’s max-directives lets a repeated fragment spread carry any number of directives', () => {
    // It returns a fragment's remembered count for the second spread before adding the spread's own.
    expect(armorVerdicts(spreads(100), 20)).toEqual([]);
    // The same directives on inline fragments are counted.
    const inline = `{ entity { ${Array.from({ length: 21 }, () => '... @skip(if: false) { name }').join(' ')} } }`;
    expect(armorVerdicts(inline, 20)).toHaveLength(1);
  });

  it('the edge’s own count refuses them: every spread’s directives count', () => {
    const errors = validate(schema, parse(spreads(100)), [directivesRule(20)]);
    expect(errors.map((e) => [e.message, e.extensions.code])).toEqual([
      ['Query uses 100 directives; the limit is 20.', 'TOO_MANY_DIRECTIVES'],
    ]);
    expect(validate(schema, parse(spreads(20)), [directivesRule(20)])).toEqual([]);
  });

  it('works out 26 fragments that each spread the next twice at once, not 2^25 times', () => {
    const chain = `query { ...F0 } ${Array.from({ length: 26 }, (_, i) =>
      i < 25
        ? `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`
        : `fragment F${i} on Query { entity @skip(if: false) { name } }`,
    ).join(' ')}`;
    const errors = validate(
      buildSchema('type Query { entity: Entity } type Entity { name: String }'),
      parse(chain),
      [directivesRule(20)],
    );
    expect(errors.map((e) => e.extensions.code)).toEqual(['TOO_MANY_DIRECTIVES']);
  });
});
