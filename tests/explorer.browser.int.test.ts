import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, start } from '../src/server.js';
import { testApp } from './support/app.js';
import { launchBrowser, type OfflinePage, offlinePage } from './support/browser.js';
import { seededDb, testServerConfig } from './support/db.js';

/**
 * The explorer as an analyst uses it, in a real Chromium on a machine that reaches the service and nothing
 * else: every request to another host is refused and recorded, and none may be tried.
 */

let running: Running;
let production: Running;
let browser: Browser;
const db = seededDb();

beforeAll(async () => {
  [running, production, browser] = await Promise.all([
    start(testServerConfig(), () => {}),
    start(testServerConfig({ NODE_ENV: 'production' }), () => {}),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([running?.close(), production?.close()]);
});

const origin = (server: Running) => new URL(server.url).origin;
const STEP = { timeout: 30_000 };

/** Waits until the page has answered its last change: no request in flight, the canvas drawn. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => !document.body.hasAttribute('aria-busy') && document.getElementById('canvas')?.dataset.drawn,
    null,
    STEP,
  );
}

function edgeItems(page: Page) {
  return page.getByRole('list', { name: 'Relationships on the canvas' }).getByRole('listitem');
}

async function edgeTexts(page: Page): Promise<string[]> {
  return (await edgeItems(page).getByRole('button').allTextContents()).map((t) => t.trim());
}

/** The article's <mark>, with the text before it: its start offset is that text's length. */
async function markInArticle(page: Page): Promise<{ text: string; start: number; inView: boolean }> {
  const mark = page.getByRole('region', { name: 'Article' }).locator('mark');
  await mark.waitFor(STEP);
  return mark.evaluate((m) => {
    const box = m.getBoundingClientRect();
    const reader = m.parentElement?.getBoundingClientRect();
    const inView =
      !!reader &&
      box.top >= reader.top - 1 &&
      box.top < reader.bottom &&
      box.bottom <= window.innerHeight + 1;
    return { text: m.textContent ?? '', start: m.previousSibling?.textContent?.length ?? 0, inView };
  });
}

async function quoteOffsets(page: Page): Promise<{ quote: string; start: number; end: number }> {
  const evidence = page.getByRole('region', { name: 'Evidence' });
  const chosen = evidence.getByRole('listitem').filter({ has: page.locator('[aria-pressed="true"]') });
  const quote = (await chosen.locator('q').textContent()) ?? '';
  const [, start, end] = /characters (\d+)–(\d+)/.exec((await chosen.textContent()) ?? '') ?? [];
  return { quote, start: Number(start), end: Number(end) };
}

describe('the explorer in a browser, without internet', () => {
  let tab: OfflinePage;
  let page: Page;
  let link = '';
  let view: Awaited<ReturnType<typeof snapshot>> | undefined;

  beforeAll(async () => {
    tab = await offlinePage(browser, origin(running));
    page = tab.page;
  });
  afterAll(async () => {
    await page?.context().close();
  });

  it('finds Xiaomi from a typo, by keyboard, and shows its card and its neighbourhood', async () => {
    await page.goto(`${origin(running)}/explore`);
    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('xiomi');
    const options = page.getByRole('listbox', { name: 'Search: results' }).getByRole('option');
    await page.getByRole('option', { name: 'Xiaomi (Company)' }).waitFor(STEP);
    // Kinds are shown beside the names.
    for (const text of await options.allTextContents()) {
      expect(text).toMatch(/Company|Product|Market|City|Person|Website|Office|Statement|Article/);
    }

    // Escape closes the list; the arrows open it again and move through it; Enter chooses.
    await search.press('Escape');
    await page.getByRole('listbox', { name: 'Search: results' }).waitFor({ state: 'hidden' });
    for (let i = 0; i < 8; i++) {
      await search.press('ArrowDown');
      const active = await search.getAttribute('aria-activedescendant');
      expect(active).toBeTruthy();
      const label = await page.locator(`[id="${active}"]`).getAttribute('aria-label');
      if (label === 'Xiaomi (Company)') break;
    }
    await search.press('Enter');

    const card = page.getByRole('region', { name: 'Xiaomi' });
    await page.getByRole('heading', { name: 'Xiaomi', exact: true }).waitFor(STEP);
    await settled(page);
    expect(page.url()).toContain('focus=Xiaomi');
    const cardText = (await card.textContent()) ?? '';
    expect(cardText).toContain('Vietnamese name');
    expect(cardText).toContain('Apple of China');
    // Relationships grouped by type, each with its status.
    await card.getByRole('heading', { name: /^COMPETES_WITH/ }).waitFor(STEP);
    expect(await card.getByRole('region', { name: 'COMPETES_WITH (3)' }).textContent()).toContain('STATED');

    const canvas = page.getByRole('img', { name: /^Graph around Xiaomi/ });
    expect(Number(await canvas.getAttribute('data-edges'))).toBeGreaterThan(10);
    // Every edge on the canvas is in the list, one item each.
    expect(await edgeItems(page).count()).toBe(Number(await canvas.getAttribute('data-edges')));
    expect(await edgeTexts(page)).toContain('Xiaomi COMPETES_WITH Samsung (STATED)');
  }, 120_000);

  it('expands a node: its neighbours join the canvas and the list', async () => {
    const before = await edgeItems(page).count();
    await page
      .getByRole('region', { name: 'Xiaomi' })
      .getByRole('button', { name: 'Samsung', exact: true })
      .click();
    await page.getByRole('heading', { name: 'Samsung', exact: true }).waitFor(STEP);
    await page.getByRole('button', { name: 'Expand' }).click();
    await expect.poll(() => edgeTexts(page), STEP).toContain('Samsung HEADQUARTERED_IN South Korea (STATED)');
    await settled(page);
    expect(await edgeItems(page).count()).toBeGreaterThan(before);
    expect(page.url()).toContain('expand=Samsung');
  }, 60_000);

  it('dismisses a node from the canvas and brings it back', async () => {
    const before = await edgeTexts(page);
    await page
      .getByRole('region', { name: 'Samsung' })
      .getByRole('button', { name: 'South Korea', exact: true })
      .click();
    await page.getByRole('heading', { name: 'South Korea', exact: true }).waitFor(STEP);
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await expect
      .poll(async () => (await edgeTexts(page)).filter((t) => t.includes('South Korea')), STEP)
      .toEqual([]);
    expect(page.url()).toContain('hide=South+Korea');
    await page.getByRole('button', { name: 'Restore dismissed (1)' }).click();
    await expect.poll(async () => (await edgeTexts(page)).sort(), STEP).toEqual([...before].sort());
    // Dismissing closed its card: back to Samsung's.
    await page
      .getByRole('region', { name: 'Xiaomi' })
      .getByRole('button', { name: 'Samsung', exact: true })
      .click();
    await page.getByRole('heading', { name: 'Samsung', exact: true }).waitFor(STEP);
    await settled(page);
  }, 60_000);

  it('filters by relationship type and by the weakest status: the canvas and the lists follow', async () => {
    const types = page.getByRole('group', { name: 'Relationship types' });
    await types.getByRole('button', { name: 'None' }).click();
    await types.getByRole('checkbox', { name: 'COMPETES_WITH' }).check();
    await expect
      .poll(async () => (await edgeTexts(page)).filter((t) => !t.includes(' COMPETES_WITH ')), STEP)
      .toEqual([]);
    await settled(page);
    expect((await edgeTexts(page)).length).toBeGreaterThan(0);
    expect(page.url()).toContain('types=COMPETES_WITH');
    await types.getByRole('button', { name: 'All' }).click();
    await expect
      .poll(async () => (await edgeTexts(page)).some((t) => t.includes(' MANUFACTURES ')), STEP)
      .toBe(true);
    await settled(page);

    await page.getByRole('combobox', { name: 'Weakest status' }).selectOption('STATED');
    await expect
      .poll(async () => (await edgeTexts(page)).filter((t) => /\((REPORTED|SPECULATED)\)$/.test(t)), STEP)
      .toEqual([]);
    await settled(page);
    const texts = await edgeTexts(page);
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((t) => /\((STATED|CONFIRMED)\)$/.test(t))).toBe(true);
    expect(Number(await page.locator('#canvas').getAttribute('data-edges'))).toBe(texts.length);
    expect(page.url()).toContain('min=STATED');
    // The card follows too: Samsung's statements (REPORTED) are gone from it.
    expect(await page.getByRole('region', { name: 'Samsung' }).textContent()).not.toContain('REPORTED');
  }, 60_000);

  it('selects an edge in the list and shows its quote marked in place in the article', async () => {
    await edgeItems(page).getByRole('button', { name: 'Xiaomi COMPETES_WITH Samsung (STATED)' }).click();
    const evidence = page.getByRole('region', { name: 'Evidence' });
    await evidence.getByText('Xiaomi COMPETES_WITH Samsung (STATED)').waitFor(STEP);
    const { quote, start, end } = await quoteOffsets(page);
    expect(quote.length).toBeGreaterThan(10);
    const mark = await markInArticle(page);
    expect(mark.text).toBe(quote);
    expect(mark.start).toBe(start);
    expect(end - start).toBe(quote.length);
    expect(mark.inView).toBe(true);
    expect(page.url()).toMatch(/[?&]edge=/);

    // Another quote of the same relationship moves the mark.
    const quotes = evidence.getByRole('button', { pressed: false });
    if ((await quotes.count()) > 0) {
      await quotes.first().click();
      const other = await quoteOffsets(page);
      await expect.poll(async () => (await markInArticle(page)).text, STEP).toBe(other.quote);
    }
  }, 60_000);

  it('finds the shortest paths from Koma Trade to Samsung, drawn and listed hop by hop', async () => {
    await page.getByRole('combobox', { name: 'Weakest status' }).selectOption('SPECULATED');
    await settled(page);
    const from = page.getByRole('searchbox', { name: 'From' });
    await from.fill('koma');
    await page.getByRole('option', { name: 'Koma Trade (Company)' }).waitFor(STEP);
    await from.press('ArrowDown');
    await from.press('Enter');
    expect(await from.inputValue()).toBe('Koma Trade');
    const to = page.getByRole('searchbox', { name: 'To' });
    await to.fill('Samsung');
    await page.getByRole('listbox', { name: 'To: results' }).getByRole('option').first().waitFor(STEP);
    await to.press('Escape');
    await page.getByRole('button', { name: 'Find path' }).click();

    const paths = page.getByRole('list', { name: 'Shortest paths' });
    await paths.waitFor(STEP);
    const hops = paths
      .getByRole('list', { name: 'Hops of path 1' })
      .getByRole('listitem')
      .filter({
        has: page.getByRole('button'),
      });
    expect(await hops.getByRole('button').allTextContents()).toEqual([
      'Koma Trade PRESENT_IN South Korea (REPORTED)',
      'Samsung HEADQUARTERED_IN South Korea (STATED)',
    ]);
    // Each hop with its evidence.
    for (const hop of await hops.all()) expect(await hop.locator('q').count()).toBeGreaterThan(0);
    await settled(page);
    // Drawn: its edges are on the canvas, and so in the list, marked as on the path.
    const marked = edgeItems(page).filter({ hasText: /path$/ });
    expect(await marked.getByRole('button').allTextContents()).toEqual(
      expect.arrayContaining([
        'Koma Trade PRESENT_IN South Korea (REPORTED)',
        'Samsung HEADQUARTERED_IN South Korea (STATED)',
      ]),
    );
    expect(page.url()).toContain('from=Koma+Trade');
    expect(page.url()).toContain('to=Samsung');

    // A hop's evidence in the article.
    await hops.first().getByRole('button').click();
    const { quote } = await quoteOffsets(page);
    await expect.poll(async () => (await markInArticle(page)).text, STEP).toBe(quote);
    await settled(page);
    link = page.url();
    view = await snapshot(page);
  }, 60_000);

  it('restores the same view from its URL, after a reload and in another browser', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Samsung', exact: true }).waitFor(STEP);
    await page.getByRole('list', { name: 'Shortest paths' }).waitFor(STEP);
    await settled(page);
    expect(await snapshot(page)).toEqual(view);

    const other = await offlinePage(browser, origin(running));
    await other.page.goto(link);
    await other.page.getByRole('heading', { name: 'Samsung', exact: true }).waitFor(STEP);
    await other.page.getByRole('list', { name: 'Shortest paths' }).waitFor(STEP);
    await settled(other.page);
    expect(await snapshot(other.page)).toEqual(view);
    expect(other.blocked).toEqual([]);
    expect(other.errors).toEqual([]);
    await other.page.context().close();

    expect(tab.blocked).toEqual([]);
    expect(tab.errors).toEqual([]);
  }, 60_000);
});

async function snapshot(page: Page) {
  await page.getByRole('region', { name: 'Article' }).locator('mark').waitFor(STEP);
  return {
    heading: (await page.locator('#card-heading').textContent()) ?? '',
    edges: (await edgeTexts(page)).sort(),
    status: await page.getByRole('combobox', { name: 'Weakest status' }).inputValue(),
    path: (await page.getByRole('list', { name: 'Shortest paths' }).textContent()) ?? '',
    mark: (await page.locator('mark').textContent()) ?? '',
    ends: [
      await page.getByRole('searchbox', { name: 'From' }).inputValue(),
      await page.getByRole('searchbox', { name: 'To' }).inputValue(),
    ],
  };
}

describe('the explorer in production mode (introspection and GraphiQL off)', () => {
  it('serves a working page', async () => {
    const base = origin(production);
    const introspection = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
    });
    expect(JSON.stringify(await introspection.json())).toMatch(/introspection/i);

    const { page, blocked, errors } = await offlinePage(browser, base);
    await page.goto(`${base}/explore?focus=Koma%20Trade`);
    await page.getByRole('heading', { name: 'Koma Trade', exact: true }).waitFor(STEP);
    await settled(page);
    expect(await edgeTexts(page)).toContain('Koma Trade PRESENT_IN South Korea (REPORTED)');
    await edgeItems(page)
      .getByRole('button', { name: 'Koma Trade PRESENT_IN South Korea (REPORTED)' })
      .click();
    expect((await markInArticle(page)).text).toBe((await quoteOffsets(page)).quote);
    await page.getByRole('searchbox', { name: 'Search' }).fill('han quoc');
    await page.getByRole('option', { name: /^South Korea \(Market\)/ }).click();
    await page.getByRole('heading', { name: 'South Korea', exact: true }).waitFor(STEP);
    await settled(page);
    expect(await edgeTexts(page)).toContain('Samsung HEADQUARTERED_IN South Korea (STATED)');
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);
});

describe('serving the explorer', () => {
  const get = (pathname: string, init?: RequestInit) => fetch(`${origin(running)}${pathname}`, init);

  it('serves the page, uncached, and its bundles with their types, cached for good', async () => {
    const page = await get('/explore');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/explore\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.map((a) => path.extname(a)).sort()).toEqual(['.css', '.js']);
    for (const asset of assets) {
      const res = await get(asset, { headers: { 'accept-encoding': 'identity' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBeNull();
      // Gzipped when the client takes it (the build compressed it once), the same bytes once decoded.
      const gzipped = await get(asset, { headers: { 'accept-encoding': 'gzip, deflate' } });
      expect(gzipped.headers.get('content-encoding')).toBe('gzip');
      expect(gzipped.headers.get('vary')).toBe('accept-encoding');
      expect(await gzipped.text()).toBe(await res.clone().text());
      expect(res.headers.get('content-type')).toBe(
        asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
      );
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    // No font, script or style from elsewhere: the page names none.
    expect(html).not.toMatch(/https?:\/\//);
    expect((await get('/explore/')).status).toBe(200);
    expect((await get('/explore', { method: 'HEAD' })).status).toBe(200);
    expect((await get('/explore', { method: 'POST' })).status).toBe(405);
  });

  it('answers 404 for unknown assets and anything outside its folder', async () => {
    for (const pathname of [
      '/explore/nothing.js',
      '/explore/../package.json',
      '/explore/%2e%2e%2fpackage.json',
      '/explore/..%2f..%2fpackage.json',
      '/explore/sub/main.js',
      '/explore/.index.html.1',
      '/explore/package.json',
      '/explore/index.html.gz',
    ]) {
      const res = await get(pathname);
      expect([404], pathname).toContain(res.status);
    }
  });

  it('answers 503 saying what to do when the explorer is not built, and 404 when it is turned off', async () => {
    const missing = mkdtempSync(path.join(os.tmpdir(), 'marketgraph-explorer-'));
    rmSync(missing, { recursive: true });
    const unbuilt = testApp({ db, explorer: { dir: missing } });
    const res = await unbuilt.fetch('http://test/explore');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
    const off = testApp({ db, explorer: false });
    expect((await off.fetch('http://test/explore')).status).toBe(404);
  });
});
