import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a key may do; each scope includes the ones before it (admin implies write implies read). */
export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Whether a key of scope `has` may do what scope `needs` allows. */
export function grants(has: Scope, needs: Scope): boolean {
  return SCOPES.indexOf(has) >= SCOPES.indexOf(needs);
}

/**
 * A key is `mg_<id>_<secret>`: the id (16 hex digits) finds its node in one index seek, the secret (256 random
 * bits, 64 hex digits) proves it. Hex only, so a key survives double-click selection and shells unquoted.
 */
const KEY = /^mg_([0-9a-f]{16})_([0-9a-f]{64})$/;

export interface NewKey {
  id: string;
  /** Shown once to whoever made it; never stored. */
  key: string;
  hash: string;
}

export function generateKey(): NewKey {
  const id = randomBytes(8).toString('hex');
  const key = `mg_${id}_${randomBytes(32).toString('hex')}`;
  return { id, key, hash: hashKey(key) };
}

/** The id a key names, or null when the text is not shaped like a key. */
export function keyId(key: string): string | null {
  return KEY.exec(key)?.[1] ?? null;
}

/**
 * SHA-256 of the whole key (its id included, so a hash belongs to one id). A slow password hash (bcrypt,
 * scrypt, Argon2) would buy nothing: it exists to make guessing low-entropy passwords expensive, and the secret
 * is 256 random bits, beyond any guessing at any hash speed; a fast hash keeps each request's check in
 * microseconds.
 */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Whether the key is the one stored as `hash`, compared in constant time so timing tells nothing of it. */
export function matchesHash(key: string, hash: string): boolean {
  const given = Buffer.from(hashKey(key), 'hex');
  const stored = Buffer.from(hash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
