import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredKey } from '../src/graph/keys.js';
import { viewerFor } from '../src/http/auth.js';
import { generateKey, grants, hashKey, keyId, matchesHash } from '../src/keys/key.js';
import { authScopes } from '../src/schema/auth.js';

/** API keys without a database: their format, their hash, the Bearer header, and what a scope allows. */

describe('an API key', () => {
  it('is mg_<id>_<secret>, fresh every time, and names its id', () => {
    const a = generateKey();
    const b = generateKey();
    expect(a.key).toMatch(/^mg_[0-9a-f]{16}_[0-9a-f]{64}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.id).not.toBe(b.id);
    expect(keyId(a.key)).toBe(a.id);
  });

  it('is stored as the SHA-256 of the whole key, which matches only that key', () => {
    const { key, hash } = generateKey();
    expect(hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hash).not.toContain(key.slice(20));
    expect(matchesHash(key, hash)).toBe(true);
    expect(matchesHash(`${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`, hash)).toBe(false);
    expect(matchesHash(key, hashKey('other'))).toBe(false);
    expect(matchesHash(key, 'not hex')).toBe(false);
  });

  it('is refused when not shaped like one', () => {
    const { key } = generateKey();
    for (const bad of ['', 'mg_', key.toUpperCase(), `${key}0`, key.replace('mg_', 'xx_'), ` ${key}`]) {
      expect(keyId(bad), bad).toBeNull();
    }
  });
});

describe('scopes', () => {
  it('admin implies write implies read', () => {
    expect(grants('admin', 'write')).toBe(true);
    expect(grants('admin', 'read')).toBe(true);
    expect(grants('write', 'read')).toBe(true);
    expect(grants('write', 'admin')).toBe(false);
    expect(grants('read', 'write')).toBe(false);
  });

  it('read is anyone’s with READ_ACCESS=open, a key’s with READ_ACCESS=key', () => {
    const viewer = { keyId: 'k', name: null, scope: 'write' as const };
    expect(authScopes({ viewer: null, readAccess: 'open' })).toEqual({
      read: true,
      write: false,
      admin: false,
    });
    expect(authScopes({ viewer: null, readAccess: 'key' }).read).toBe(false);
    expect(authScopes({ viewer, readAccess: 'key' })).toEqual({
      read: true,
      write: true,
      admin: false,
    });
  });
});

describe('the Bearer header', () => {
  const made = generateKey();
  const keys = new Map<string, StoredKey>([
    [made.id, { id: made.id, name: 'unit', scope: 'read', hash: made.hash, revoked: false }],
  ]);
  const asked: string[] = [];
  const find = async (id: string) => {
    asked.push(id);
    return keys.get(id) ?? null;
  };
  const refusal = async (header: string) => {
    try {
      await viewerFor(header, find);
    } catch (err) {
      return err as { extensions: Record<string, any>; message: string };
    }
    throw new Error(`${header} was accepted`);
  };

  it('is optional', async () => {
    expect(await viewerFor(null, find)).toBeNull();
  });

  it('gives the key’s id, name and scope', async () => {
    expect(await viewerFor(`Bearer ${made.key}`, find)).toEqual({
      keyId: made.id,
      name: 'unit',
      scope: 'read',
    });
    expect(await viewerFor(`bearer  ${made.key} `, find)).not.toBeNull();
  });

  it('is UNAUTHENTICATED (401, invalid_token) when malformed, and asks nothing of the database', async () => {
    asked.length = 0;
    for (const header of ['', 'Bearer', `Basic ${made.key}`, 'Bearer mg_nope', `Bearer ${made.key} extra`]) {
      const err = await refusal(header);
      expect(err.extensions.code, header).toBe('UNAUTHENTICATED');
      expect(err.extensions.http).toEqual({
        status: 401,
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      });
      expect(err.message).not.toContain(made.key);
    }
    expect(asked).toEqual([]);
  });

  it('is UNAUTHENTICATED for an unknown id, a wrong secret and a revoked key', async () => {
    const other = generateKey();
    const wrongSecret = `mg_${made.id}_${other.key.slice(-64)}`;
    expect((await refusal(`Bearer ${other.key}`)).message).toBe('The API key is not valid.');
    expect((await refusal(`Bearer ${wrongSecret}`)).message).toBe('The API key is not valid.');
    keys.set(made.id, { id: made.id, name: 'unit', scope: 'read', hash: made.hash, revoked: true });
    expect((await refusal(`Bearer ${made.key}`)).message).toBe('The API key has been revoked.');
  });
});
