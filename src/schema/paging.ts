import { badInput } from './errors.js';

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;
export const MAX_OFFSET = 1_000_000_000;

export interface Bounds {
  min: number;
  max: number;
  default: number;
}

/** An integer argument within its bounds, or its default; anything else is a BAD_USER_INPUT naming it. */
export function bounded(value: number | null | undefined, argument: string, b: Bounds): number {
  if (value === null || value === undefined) return b.default;
  if (!Number.isInteger(value) || value < b.min || value > b.max) {
    throw badInput(`${argument} must be between ${b.min} and ${b.max}, got ${value}.`, argument);
  }
  return value;
}

/** The page of a connection (lists and relationship fields): `first`, 0 to 100, 20 when left out. */
export const PAGE: Bounds = { min: 0, max: MAX_PAGE, default: DEFAULT_PAGE };

/** Bounds as an argument's description states them: "0 to 100 (default 20)". */
export const rangeOf = (b: Bounds) => `${b.min} to ${b.max} (default ${b.default})`;

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
  (v as { o: number }).o >= 0 &&
  // Cypher list indexes are 32-bit; no page of a relationship field starts anywhere near that.
  (v as { o: number }).o <= MAX_OFFSET;

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
