import type { Plugin } from 'graphql-yoga';
import { ClientError } from '../schema/errors.js';

/**
 * What a request body may be. Hand-written because no kept library does it for a fetch-style server: Yoga
 * reads a whole body before its parsers see it, whatever its size, and its parsers compare media types
 * case-sensitively.
 * - At most maxBytes, checked from Content-Length before reading, and while streaming when there is none
 *   (chunked): 413 either way.
 * - A refused body is still read (and dropped) up to a bound before the 413 is sent: clients that write the
 *   whole body before reading the answer (Python's urllib and requests do) otherwise get a broken pipe, not
 *   the 413. A body beyond the bound is cut off: its sender sees the connection close.
 * - Media types are case-insensitive (RFC 9110): `APPLICATION/JSON` is JSON.
 * - GET with variables that are not JSON is the client's mistake (400), not an unexpected error.
 */
export function useBodyLimits(maxBytes: number): Plugin {
  // Reading and dropping costs no memory, and the server's request timeout bounds how long it may take.
  const drainBound = Math.max(16 << 20, 10 * maxBytes);
  return {
    onRequest({ request }) {
      const type = request.headers.get('content-type');
      if (!type) return;
      // Only the type/subtype: parameters such as a multipart boundary are case-sensitive.
      const [media = '', ...params] = type.split(';');
      const lower = media.trim().toLowerCase();
      if (lower !== media) request.headers.set('content-type', [lower, ...params].join(';'));
    },
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (request.method === 'GET' && requestParser) {
        const parse = requestParser;
        setRequestParser(async (req) => {
          try {
            return await parse(req);
          } catch (err) {
            if (!(err instanceof SyntaxError)) throw err;
            throw new ClientError('BAD_REQUEST', `The URL parameters are not valid JSON: ${err.message}`, {
              http: { status: 400 },
            });
          }
        });
      }
      if (request.method !== 'POST') return;
      const length = Number(request.headers.get('content-length') ?? Number.NaN);
      if (length > maxBytes) {
        // Refused before reading; read (and dropped) anyway when small enough, so the sender sees the 413.
        if (length > drainBound) throw tooLarge(maxBytes);
        setRequestParser(async (req) => {
          await discard(req, drainBound);
          throw tooLarge(maxBytes);
        });
        return;
      }
      if (Number.isNaN(length) && requestParser) {
        // No length given (chunked): read the body here, stopping at the limit, then hand it to the parser
        // Yoga chose for the content type (JSON, application/graphql, form or multipart alike).
        const parse = requestParser;
        setRequestParser(async (req) =>
          parse(
            new fetchAPI.Request(req.url, {
              method: req.method,
              headers: req.headers,
              body: await readLimited(req, maxBytes, drainBound),
            }),
          ),
        );
      }
    },
  };
}

function tooLarge(max: number): ClientError {
  return new ClientError('PAYLOAD_TOO_LARGE', `Request body exceeds ${max} bytes.`, {
    http: { status: 413 },
  });
}

async function readLimited(request: Request, max: number, bound: number): Promise<Uint8Array<ArrayBuffer>> {
  const reader = request.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await drop(reader, bound - size);
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

async function discard(request: Request, bound: number): Promise<void> {
  const reader = request.body?.getReader();
  if (reader) await drop(reader, bound);
}

/** Reads and drops up to `left` more bytes; stops reading (the connection is then cut) beyond them. */
async function drop(reader: ReadableStreamDefaultReader<Uint8Array>, left: number): Promise<void> {
  while (left > 0) {
    const { done, value } = await reader.read();
    if (done) return;
    left -= value.byteLength;
  }
  await reader.cancel();
}
