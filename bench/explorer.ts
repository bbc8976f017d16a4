/**
 * npm run bench:explorer [-- --runs N]: what the explorer page weighs and how soon it draws a big
 * neighbourhood. Page weight: the bytes of its script and style sheet, raw and gzipped (the service sends the
 * gzipped copies the build writes to browsers that take gzip). First render: in headless Chromium, from navigation start to the first frame
 * of the canvas with a 200-edge neighbourhood drawn (the page's own performance mark), on a fresh browser
 * context (nothing cached) and on a reload (bundles cached). The graph is a synthetic facts file: one company
 * with 200 relationships of four types and all four statuses, loaded into a Neo4j of the benchmark's own.
 * Results go to bench/results/explorer.md.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildExplorer } from '../scripts/build-explorer.js';
import { startLocalService } from '../scripts/local-service.js';
import { projectRoot } from '../src/paths.js';
import { launchBrowser } from '../tests/support/browser.js';

const HUB = 'Benchmark Hub Holdings';
const EDGES = 200;
const STATUSES = ['stated', 'reported', 'confirmed', 'speculated'] as const;

/** A facts file whose hub has exactly EDGES relationships, each quoting its own sentence of the article. */
function writeCorpus(dir: string): string {
  const entities: Record<string, unknown>[] = [{ id: 'company:bench-hub', kind: 'Company', name: HUB }];
  const relationships: Record<string, unknown>[] = [];
  let text = '';
  const shapes = [
    { count: 120, kind: 'Product', prefix: 'product', type: 'MANUFACTURES', out: true, verb: 'makes' },
    {
      count: 30,
      kind: 'Company',
      prefix: 'company',
      type: 'COMPETES_WITH',
      out: true,
      verb: 'competes with',
    },
    { count: 20, kind: 'Market', prefix: 'market', type: 'SELLS_IN', out: true, verb: 'sells in' },
    { count: 30, kind: 'Person', prefix: 'person', type: 'WORKS_FOR', out: false, verb: 'works for' },
  ];
  for (const shape of shapes) {
    for (let i = 1; i <= shape.count; i++) {
      const id = `${shape.prefix}:bench-${shape.prefix}-${i}`;
      const name = `Bench ${shape.kind.toLowerCase()} ${String(i).padStart(3, '0')}`;
      entities.push({ id, kind: shape.kind, name });
      const quote = shape.out ? `${HUB} ${shape.verb} ${name}.` : `${name} ${shape.verb} ${HUB}.`;
      const start = text.length;
      text += `${quote} `;
      relationships.push({
        type: shape.type,
        from: shape.out ? 'company:bench-hub' : id,
        to: shape.out ? id : 'company:bench-hub',
        evidence: [{ quote, start, end: start + quote.length, status: STATUSES[relationships.length % 4] }],
      });
    }
  }
  if (relationships.length !== EDGES) throw new Error(`corpus: ${relationships.length} relationships`);
  writeFileSync(path.join(dir, 'bench-explorer.txt'), text);
  const file = path.join(dir, 'bench-explorer.facts.json');
  writeFileSync(
    file,
    JSON.stringify({
      article: {
        id: 'article:bench-explorer',
        title: 'Benchmark hub',
        language: 'en',
        file: 'bench-explorer.txt',
      },
      entities,
      relationships,
    }),
  );
  return file;
}

interface Render {
  drawnMs: number;
  answeredMs: number;
  edges: number;
}

async function render(page: Page, url: string, reload: boolean): Promise<Render> {
  if (reload) await page.reload();
  else await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('explorer:drawn').length > 0, null, {
    timeout: 60_000,
  });
  return page.evaluate(() => {
    const mark = performance.getEntriesByName('explorer:drawn')[0] as PerformanceMark;
    const answers = performance
      .getEntriesByType('resource')
      .filter(
        (r) => r.name.endsWith('/graphql') && r.startTime < mark.startTime,
      ) as PerformanceResourceTiming[];
    return {
      drawnMs: mark.startTime,
      answeredMs: Math.max(...answers.map((r) => r.responseEnd)),
      edges: (mark.detail as { edges: number }).edges,
    };
  });
}

async function measure(browser: Browser, url: string, runs: number) {
  const cold: Render[] = [];
  const warm: Render[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    cold.push(await render(page, url, false));
    warm.push(await render(page, url, true));
    await context.close();
  }
  for (const r of [...cold, ...warm]) {
    if (r.edges !== EDGES) throw new Error(`drew ${r.edges} edges, not ${EDGES}`);
  }
  return { cold, warm };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const ms = (values: number[]) =>
  `${Math.round(median(values))} ms (${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))})`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** A Markdown table with its columns aligned, as the project's formatter writes them. */
function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

async function main() {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
  const built = await buildExplorer();
  const weight = [built.script, built.style].map((file) => ({
    file: file.endsWith('.js') ? 'script' : 'style sheet',
    raw: statSync(path.join(built.dir, file)).size,
    gzip: statSync(path.join(built.dir, `${file}.gz`)).size,
  }));
  const total = { raw: weight.reduce((n, w) => n + w.raw, 0), gzip: weight.reduce((n, w) => n + w.gzip, 0) };

  const dir = mkdtempSync(path.join(os.tmpdir(), 'marketgraph-bench-explorer-'));
  const service = await startLocalService({ factsFile: writeCorpus(dir) });
  const browser = await launchBrowser();
  let result: Awaited<ReturnType<typeof measure>>;
  let chromium: string;
  try {
    const url = `${service.origin}/explore?focus=${encodeURIComponent(HUB)}`;
    await measure(browser, url, 1); // warms the service and Neo4j's caches
    result = await measure(browser, url, runs);
    chromium = browser.version();
  } finally {
    await browser.close();
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Explorer: page weight and first render',
    '',
    `\`npm run bench:explorer\` on ${os.cpus().length} cores (${cpu}), Node ${process.version}, Chromium ${chromium}`,
    `(headless, 2D canvas, no GPU), the service and its Neo4j on the same machine; ${runs} runs each.`,
    '',
    ...table(
      ['page weight', 'raw', 'gzip'],
      [...weight.map((w) => [w.file, kb(w.raw), kb(w.gzip)]), ['total', kb(total.raw), kb(total.gzip)]],
    ),
    '',
    `First render of a ${EDGES}-edge neighbourhood (${EDGES + 1} entities, depth 1), median (min–max), from`,
    'navigation start:',
    '',
    ...table(
      ['', 'last GraphQL answer in', 'canvas drawn'],
      [
        [
          'fresh context (nothing cached)',
          ...[result.cold.map((r) => r.answeredMs), result.cold.map((r) => r.drawnMs)].map(ms),
        ],
        [
          'reload (bundles cached)',
          ...[result.warm.map((r) => r.answeredMs), result.warm.map((r) => r.drawnMs)].map(ms),
        ],
      ],
    ),
    '',
  ];
  const out = path.join(projectRoot, 'bench', 'results', 'explorer.md');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, lines.join('\n'));
  console.log(lines.join('\n'));
  console.log(`Wrote ${path.relative(process.cwd(), out)}`);
}

await main();
