import { expect } from 'vitest';
import type { gqlClient } from './graphql.js';

export interface Hit {
  entity: { key: string; kind: string; name: string };
  score: number;
  matched: string;
}

export const SEARCH = `query($text: String!, $kinds: [EntityKind!], $first: Int) {
  search(text: $text, kinds: $kinds, first: $first) { entity { key kind name } score matched }
}`;

/** Searches as a client would: the answer must be a 200 without errors; its hits, best first. */
export function searcher(gql: ReturnType<typeof gqlClient>) {
  return async (text: string, options: { kinds?: string[]; first?: number } = {}): Promise<Hit[]> => {
    const { status, body } = await gql<{ search: Hit[] }>(SEARCH, { text, ...options });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    return body.data?.search ?? [];
  };
}
