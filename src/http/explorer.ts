import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'graphql-yoga';
import { projectRoot } from '../paths.js';

/** Where `npm run build` (scripts/build-explorer.ts) puts the explorer's page and bundles. */
export const EXPLORER_DIR = path.join(projectRoot, 'dist', 'explorer');

export const EXPLORER_PATH = '/explore';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** A built asset's name: no folders, no dot files, a known extension (so no path can leave the folder). */
const ASSET = /^[\w-]+(\.[\w-]+)*$/;

/**
 * The page runs only what the service serves: its own script and style, and requests to its own origin
 * (the API). Inline styles are allowed: Cytoscape.js adds a one-rule <style> element of its own.
 */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/**
 * The explorer at /explore: GET /explore is the page, /explore/<asset> its bundles. Bundle names carry a
 * hash of their content, so they are cached for a year; the page itself is revalidated every time. Files are
 * read when asked for, so a rebuild is served without a restart; without a build the answer says how to make
 * one (503).
 */
export function useExplorer(option: boolean | { dir: string }): Plugin[] {
  if (option === false) return [];
  const dir = option === true ? EXPLORER_DIR : option.dir;
  return [
    {
      async onRequest({ request, url, endResponse }) {
        if (url.pathname !== EXPLORER_PATH && !url.pathname.startsWith(`${EXPLORER_PATH}/`)) return;
        const name = url.pathname.slice(EXPLORER_PATH.length + 1);
        const gzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
        endResponse(await serve(dir, request.method, name, gzip));
      },
    },
  ];
}

async function serve(dir: string, method: string, name: string, gzip: boolean): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD') {
    return new Response('Method not allowed.\n', { status: 405, headers: { allow: 'GET, HEAD' } });
  }
  const page = name === '' || name === 'index.html';
  const type = page ? PAGE_HEADERS['content-type'] : TYPES[path.extname(name)];
  if (!type || (!page && !ASSET.test(name))) return notFound();
  let body: Buffer;
  let encoded = false;
  try {
    if (page) body = await readFile(path.join(dir, 'index.html'));
    else [body, encoded] = await readAsset(path.join(dir, name), gzip);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (page) {
      return new Response(
        'The explorer is not built: run npm run build (npm start does it), then reload.\n',
        {
          status: 503,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '10' },
        },
      );
    }
    return notFound();
  }
  const headers = page
    ? PAGE_HEADERS
    : {
        'content-type': type,
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        vary: 'accept-encoding',
        ...(encoded ? { 'content-encoding': 'gzip' } : {}),
      };
  return new Response(method === 'HEAD' ? null : new Uint8Array(body), {
    headers: { ...headers, 'content-length': String(body.byteLength) },
  });
}

/** The gzipped copy the build wrote beside a bundle when the client takes gzip, else the bundle itself. */
async function readAsset(file: string, gzip: boolean): Promise<[Buffer, boolean]> {
  if (gzip) {
    try {
      return [await readFile(`${file}.gz`), true];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return [await readFile(file), false];
}

function notFound(): Response {
  return new Response('Not found.\n', {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}
