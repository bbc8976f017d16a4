import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { type Running, start } from '../src/server.js';
import { testApp } from './support/app.js';
import { seededDb, testServerConfig } from './support/db.js';

/** The HTTP edge as clients meet it: media types, request ids, CORS, and oversized bodies over a socket. */

const db = seededDb();
const logged: { requestId: string; error: unknown }[] = [];
const app = testApp({
  db,
  corsOrigins: '*',
  logError: (requestId, error) => logged.push({ requestId, error }),
});
const QUERY = JSON.stringify({ query: '{ entity(name: "Xiaomi") { name } }' });

describe('media types', () => {
  it('are case-insensitive: APPLICATION/JSON is JSON', async () => {
    for (const type of ['APPLICATION/JSON', 'Application/Json; charset=UTF-8', 'application/json']) {
      const res = await app.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': type },
        body: QUERY,
      });
      expect(res.status, type).toBe(200);
      expect(await res.json()).toEqual({ data: { entity: { name: 'Xiaomi' } } });
    }
  });

  it('still refuses a type it does not take with 415', async () => {
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'TEXT/PLAIN' },
      body: QUERY,
    });
    expect(res.status).toBe(415);
  });
});

describe('request ids', () => {
  it('are the request’s own on errors masked outside execution (building the context)', async () => {
    const broken = testApp({
      db,
      logError: (requestId, error) => logged.push({ requestId, error }),
      plugins: [
        {
          onContextBuilding() {
            throw new Error('context exploded');
          },
        },
      ],
    });
    logged.length = 0;
    const res = await broken.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-ctx-1' },
      body: QUERY,
    });
    expect(res.headers.get('x-request-id')).toBe('trace-ctx-1');
    const text = await res.text();
    expect(text).not.toContain('exploded');
    expect(JSON.parse(text).errors).toEqual([
      {
        message: 'Unexpected error.',
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'trace-ctx-1' },
      },
    ]);
    expect(logged).toEqual([{ requestId: 'trace-ctx-1', error: new Error('context exploded') }]);
  });

  it('are readable by browser pages: CORS exposes x-request-id', async () => {
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://app.example' },
      body: QUERY,
    });
    expect(res.status).toBe(200);
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    expect(exposed).toContain('x-request-id');
  });
});

/**
 * Sends a whole request over a raw socket before reading anything, as Python's urllib and requests do, and
 * returns what came back (or the socket error).
 */
function sendWhole(url: string, head: string, body: Buffer): Promise<{ text: string; error?: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      // One response is all this test wants; the server may keep the connection open.
      if (/\r\n\r\n/.test(text) && /\}\s*$/.test(text)) socket.end();
    });
    socket.on('error', (err) => resolve({ text, error: (err as NodeJS.ErrnoException).code ?? err.message }));
    socket.on('close', () => resolve({ text }));
    socket.setTimeout(20_000, () => socket.destroy(new Error('timeout')));
    socket.write(head);
    socket.write(body);
  });
}

describe('an oversized body sent whole before the answer is read', () => {
  let running: Running;
  // Large enough that the socket buffers cannot hold what the server leaves unread (Python gets EPIPE).
  const size = 8_000_000;
  const body = Buffer.from(JSON.stringify({ query: `{ __typename }`, pad: 'x'.repeat(size) }));

  it('gets the 413, with its length given', async () => {
    running = await start(testServerConfig(), () => {});
    try {
      const head =
        'POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
      const answer = await sendWhole(running.url, head, body);
      expect(answer.error).toBeUndefined();
      expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer.text).toContain('PAYLOAD_TOO_LARGE');
    } finally {
      await running.close();
    }
  });

  it('gets the 413 when chunked', async () => {
    running = await start(testServerConfig(), () => {});
    try {
      const head =
        'POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n' +
        'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
      const chunks: Buffer[] = [];
      for (let i = 0; i < body.length; i += 16_384) {
        const part = body.subarray(i, i + 16_384);
        chunks.push(Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n'));
      }
      chunks.push(Buffer.from('0\r\n\r\n'));
      const answer = await sendWhole(running.url, head, Buffer.concat(chunks));
      expect(answer.error).toBeUndefined();
      expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer.text).toContain('PAYLOAD_TOO_LARGE');
    } finally {
      await running.close();
    }
  });
});
