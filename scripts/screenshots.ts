/**
 * npm run screenshots [-- <origin>]: the README's pictures of the explorer, taken in headless Chromium, into
 * docs/images/. Without an origin (such as http://localhost:4000) it starts a throwaway service of its own.
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { projectRoot } from '../src/paths.js';
import { launchBrowser } from '../tests/support/browser.js';
import { startLocalService } from './local-service.js';

const OUT = path.join(projectRoot, 'docs', 'images');

interface Shot {
  file: string;
  what: string;
  params: Record<string, string>;
  /** Selects the relationship whose evidence the picture shows. */
  select(page: Page): Promise<void>;
}

const SHOTS: Shot[] = [
  {
    file: 'explorer.png',
    what: "Xiaomi's neighbourhood and card, the rumoured Seoul office's quote marked in the article",
    params: { focus: 'Xiaomi' },
    select: (page) =>
      page
        .getByRole('list', { name: 'Relationships on the canvas' })
        .getByRole('button', {
          name: 'Xiaomi HAS_OFFICE Xiaomi representative office in Seoul (rumoured) (SPECULATED)',
        })
        .click(),
  },
  {
    file: 'explorer-path.png',
    what: 'the shortest paths from Koma Trade to Samsung, drawn and listed hop by hop with their evidence',
    params: { focus: 'Koma Trade', depth: '2', from: 'Koma Trade', to: 'Samsung' },
    select: (page) => page.getByRole('list', { name: 'Hops of path 1' }).getByRole('button').nth(1).click(),
  },
];

async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => !document.body.hasAttribute('aria-busy') && document.getElementById('canvas')?.dataset.drawn,
    null,
    { timeout: 30_000 },
  );
}

async function main() {
  const given = process.argv[2];
  const service = given ? undefined : await startLocalService();
  const origin = service ? service.origin : new URL(given ?? '').origin;
  const browser = await launchBrowser();
  try {
    mkdirSync(OUT, { recursive: true });
    for (const shot of SHOTS) {
      const page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
      await page.goto(`${origin}/explore?${new URLSearchParams(shot.params)}`);
      await page.locator('#card-heading').waitFor();
      await settled(page);
      await shot.select(page);
      await page.locator('mark').waitFor();
      await settled(page);
      const file = path.join(OUT, shot.file);
      await page.screenshot({ path: file });
      await page.close();
      console.log(
        `${path.relative(projectRoot, file)} (${Math.round(statSync(file).size / 1024)} KB): ${shot.what}`,
      );
    }
  } finally {
    await browser.close();
    await service?.stop();
  }
}

await main();
