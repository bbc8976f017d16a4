import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { countingDb, seededDb } from './support/db.js';
import { gqlClient } from './support/graphql.js';

const db = seededDb();
const counting = countingDb(db);
const logged: unknown[] = [];
const gql = gqlClient(counting, logged);

const xiaomi = encodeGlobalID('Company', 'company:xiaomi');
const miTv = encodeGlobalID('Product', 'product:mi-tv-4');
const korea = encodeGlobalID('Market', 'market:south-korea');
const QUERY = 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Entity { name } } }';

describe('nodes(ids:)', () => {
  it('answers null for a malformed id, with an error at its index, and still answers the others', async () => {
    counting.statements = 0;
    const { status, body } = await gql(QUERY, { ids: [xiaomi, 'not a global id', miTv] });
    expect(status).toBe(200);
    expect(body.data?.nodes).toEqual([{ id: xiaomi, name: 'Xiaomi' }, null, { id: miTv, name: 'Mi TV 4' }]);
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ['nodes', 1],
        extensions: { code: 'BAD_USER_INPUT', argument: 'ids' },
      }),
    ]);
    expect(body.errors?.[0]?.message).toContain('not a global id');
    // The ids that decode are read together.
    expect(counting.statements).toBe(1);
    expect(logged).toEqual([]);
  });

  it('reports each malformed id at its own index, given inline or through a variable', async () => {
    const inline = await gql(
      `{ nodes(ids: ["%%%", "${korea}", "${Buffer.from('no colon').toString('base64')}"]) { id } }`,
    );
    const variable = await gql(QUERY, { ids: ['%%%', korea, Buffer.from('no colon').toString('base64')] });
    for (const { status, body } of [inline, variable]) {
      expect(status).toBe(200);
      expect(body.data?.nodes.map((n: { id: string } | null) => n?.id ?? null)).toEqual([null, korea, null]);
      expect(body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
        [['nodes', 0], 'BAD_USER_INPUT'],
        [['nodes', 2], 'BAD_USER_INPUT'],
      ]);
    }
    expect(logged).toEqual([]);
  });

  it('answers null without an error for well-formed ids that name nothing', async () => {
    const { status, body } = await gql(QUERY, {
      ids: [
        encodeGlobalID('Company', 'company:atlantis'),
        // The right key, the wrong kind.
        encodeGlobalID('Product', 'company:xiaomi'),
        // No such type, or not a type of entity.
        encodeGlobalID('Spaceship', 'company:xiaomi'),
        encodeGlobalID('Entity', 'company:xiaomi'),
        xiaomi,
      ],
    });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { nodes: [null, null, null, null, { id: xiaomi, name: 'Xiaomi' }] } });
    expect(logged).toEqual([]);
  });
});

describe('node(id:)', () => {
  const NODE = 'query($id: ID!) { node(id: $id) { id ... on Entity { name } } }';

  it('answers null without an error for a well-formed id that names no entity, of any type', async () => {
    for (const id of [
      encodeGlobalID('Company', 'company:atlantis'),
      encodeGlobalID('Product', 'company:xiaomi'),
      encodeGlobalID('Spaceship', 'company:xiaomi'),
      encodeGlobalID('Entity', 'company:xiaomi'),
    ]) {
      const { status, body } = await gql(NODE, { id });
      expect(status, id).toBe(200);
      expect(body, id).toEqual({ data: { node: null } });
    }
    expect((await gql(NODE, { id: xiaomi })).body).toEqual({
      data: { node: { id: xiaomi, name: 'Xiaomi' } },
    });
    expect(logged).toEqual([]);
  });

  it('refuses an id that is not a global id as BAD_USER_INPUT naming id', async () => {
    const { status, body } = await gql(NODE, { id: 'not a global id' });
    expect(status).toBe(200);
    expect(body.data?.node).toBeNull();
    expect(body.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.argument])).toEqual([
      [['node'], 'BAD_USER_INPUT', 'id'],
    ]);
    expect(logged).toEqual([]);
  });
});
