import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY } from '../src/http/examples.js';
import { type Running, start } from '../src/server.js';
import { launchBrowser, offlinePage } from './support/browser.js';
import { testServerConfig } from './support/db.js';

/** GraphiQL as a person opens it in a browser, on a machine that reaches the service and nothing else. */

let running: Running;
let browser: Browser;

beforeAll(async () => {
  [running, browser] = await Promise.all([start(testServerConfig(), () => {}), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
});

describe('GraphiQL without internet', () => {
  it('opens with the saved example queries and runs one, every other host blocked', async () => {
    const { page, blocked, errors } = await offlinePage(browser, running.url);
    await page.goto(running.url);
    // The editor opens on the saved queries: the first one's name is its tab's.
    const saved = [...DEFAULT_QUERY.matchAll(/^query (\w+)/gm)].map((m) => m[1]);
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor();
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe(saved[0]);
    // The play button offers every saved query; the first runs, and its answer names the headline distributors.
    await run.click();
    const menu = page.getByRole('menu');
    expect(await menu.getByRole('menuitem').allInnerTexts()).toEqual(saved);
    const answer = page.waitForResponse((r) => r.url() === running.url && r.request().method() === 'POST');
    await menu.getByRole('menuitem', { name: saved[0] }).click();
    const body = await (await answer).json();
    expect(body.data.distributors.map((d: { name: string }) => d.name)).toEqual([
      'Koma Trade',
      'Nanjing Youmi Electronics Technology',
    ]);
    // And shows it (the response pane draws the lines in view).
    await page.locator('.result-window', { hasText: 'Koma Trade' }).waitFor();
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
