import { afterAll, describe, expect, it } from 'vitest';
import { loadFacts } from '../src/facts/load.js';
import { keepsGraph, removeEntities, seededDb } from './support/db.js';
import { writeFactsFile } from './support/facts.js';
import { gqlClient } from './support/graphql.js';

const db = seededDb();
// Everything this file writes has ids of its own (the article's too), removed after; the graph is then as found.
const OWN = ['company:facts-offsets-', 'article:facts-offsets-'];
keepsGraph(db);
afterAll(() => removeEntities(db, OWN));

describe('a facts file with its text inline and quotes without offsets', () => {
  it('loads with the offsets found in the text, and GraphQL answers them', async () => {
    const quote = 'Offsets Alpha now competes with Offsets Beta in Hàn Quốc.';
    const text = `Short market news.\n${quote}\nNothing more.`;
    const file = writeFactsFile({
      article: {
        id: 'article:facts-offsets-inline',
        title: 'Offsets inline test article',
        language: 'en',
        text,
        url: 'https://example.com/offsets',
        publishedAt: '2024-05-02',
        publisher: 'Example News',
      },
      entities: [
        { id: 'company:facts-offsets-alpha', kind: 'Company', name: 'Offsets Alpha' },
        { id: 'company:facts-offsets-beta', kind: 'Company', name: 'Offsets Beta' },
      ],
      relationships: [
        {
          type: 'COMPETES_WITH',
          from: 'company:facts-offsets-alpha',
          to: 'company:facts-offsets-beta',
          evidence: [{ quote, status: 'stated' }],
        },
      ],
    });
    await loadFacts(db, file);

    const gql = gqlClient(db);
    const { body } = await gql(`{
      entity(name: "Offsets Alpha") {
        ... on Company {
          competesWith {
            edges {
              node { key }
              evidence { quote start end status article { key text url publishedAt publisher } }
            }
          }
        }
      }
    }`);
    expect(body.errors).toBeUndefined();
    const start = text.indexOf(quote);
    expect(body.data?.entity.competesWith.edges).toEqual([
      {
        node: { key: 'company:facts-offsets-beta' },
        evidence: [
          {
            quote,
            start,
            end: start + quote.length,
            status: 'STATED',
            article: {
              key: 'article:facts-offsets-inline',
              text,
              url: 'https://example.com/offsets',
              publishedAt: '2024-05-02',
              publisher: 'Example News',
            },
          },
        ],
      },
    ]);
  });
});
