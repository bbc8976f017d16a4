import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium (apt-get install chromium; .ci/run installs it), driven by playwright-core: nothing is
 * downloaded at install or run time. CHROMIUM_PATH points at another build.
 */
export function chromiumPath(): string {
  const given = process.env.CHROMIUM_PATH;
  if (given) return given;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const found = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (found && existsSync(found)) return found;
    } catch {
      // not on the PATH; try the next name
    }
  }
  throw new Error('No Chromium found: install it (apt-get install chromium) or set CHROMIUM_PATH.');
}

/** A headless Chromium. Close it in afterAll. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

export interface OfflinePage {
  page: Page;
  /** Every request the page tried to send to another host (each was refused). */
  blocked: string[];
  /** Errors the page's scripts threw, and console errors. */
  errors: string[];
}

/**
 * A fresh page (its own context: no cache, no storage) that can reach the service at `origin` and nothing else:
 * any request to another host is aborted and recorded, as on a machine without internet access.
 */
export async function offlinePage(browser: Browser, origin: string): Promise<OfflinePage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const blocked: string[] = [];
  const errors: string[] = [];
  const allowed = new URL(origin).host;
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.host === allowed) return route.continue();
    blocked.push(url.href);
    return route.abort('internetdisconnected');
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { page, blocked, errors };
}
