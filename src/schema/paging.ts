import { badInput } from './errors.js';

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE}, got ${first}.`, 'first');
  }
  return first;
}

/** Cursors are opaque to clients: base64url of a small JSON value, checked on the way back in. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, check: (v: unknown) => v is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    // falls through to the error below
  }
  throw badInput(`after is not a cursor this list gave out: "${cursor.slice(0, 60)}".`, 'after');
}

export const isOffset = (v: unknown): v is { o: number } =>
  typeof v === 'object' &&
  v !== null &&
  Number.isInteger((v as { o: unknown }).o) &&
  (v as { o: number }).o >= 0;

export interface PageShape {
  edges: { cursor: string }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export function pageInfoOf(c: PageShape) {
  return {
    hasNextPage: c.hasNextPage,
    hasPreviousPage: c.hasPreviousPage,
    startCursor: c.edges[0]?.cursor ?? null,
    endCursor: c.edges.at(-1)?.cursor ?? null,
  };
}
