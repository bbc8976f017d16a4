/**
 * latest.md and the two charts from the results. The SVG is written by hand (bars and lines over a few
 * dozen numbers do not need a charting library).
 */
import { SERVERS, type ServerName } from './mix.js';
import type { QueryResult, Results } from './run.js';

const COLORS: Record<ServerName, string> = {
  marketgraph: '#2b6cb0',
  'neo4j-graphql': '#dd6b20',
  driver: '#718096',
};

const f0 = (n: number | null | undefined) =>
  n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(0);
const f1 = (n: number | null | undefined) =>
  n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(1);
const f2 = (n: number | null | undefined) =>
  n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(2);
const sizeLabel = (n: number) =>
  n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1_000 ? `${n / 1_000}k` : String(n);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The issue's targets: ≥ 1.5× the peer's throughput and never slower at p99 where both answer; p50 ≤ 1.3× the floor's. */
export function targetsOf(q: QueryResult) {
  const r = q.ratios;
  return {
    throughput: r.rps_vs_peer === null ? null : r.rps_vs_peer >= 1.5,
    p99: r.p99_vs_peer === null ? null : r.p99_vs_peer <= 1,
    floor: r.p50_vs_floor === null ? null : r.p50_vs_floor <= 1.3,
  };
}

const mark = (ok: boolean | null) => (ok === null ? '–' : ok ? 'yes' : '**no**');

export function renderMarkdown(r: Results): string {
  const out: string[] = [];
  const s = r.settings;
  out.push('# Side-by-side benchmark', '');
  out.push(
    `${r.generatedAt}, ${r.machine.cpus} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; Neo4j, the server ` +
      'and the load generator share the machine. Each server runs as its own process on loopback over the same ' +
      `Neo4j; autocannon drives one at a time with ${s.connections} connections, ${s.seconds} s per query and ` +
      `server, interleaved per query (the order rotates) and repeated ${s.rounds} times after a ${s.warmup} s ` +
      'warm-up per query; figures are medians over rounds, errors are summed.',
    '',
    `- **marketgraph**: \`src/server.ts\` with NODE_ENV=production (limits, masking, logging at info to /dev/null).`,
    `- **neo4j-graphql**: @neo4j/graphql ${r.versions['@neo4j/graphql']} on graphql-yoga ${r.versions['graphql-yoga']}, ` +
      'type definitions generated from the model (bench/peer-schema.ts), default driver settings.',
    `- **driver**: a bare node:http handler, one hand-written Cypher statement per question, neo4j-driver ${r.versions['neo4j-driver']}.`,
    '',
    '_statements_: Cypher statements per request, counted inside each server process. _wrong_: sampled answers ' +
      '(once before and after every round) whose facts differ from the floor’s, out of _samples_.',
    '',
  );
  for (const g of r.graphs) {
    const qs = r.queries.filter((q) => q.size === g.size);
    out.push(`## ${sizeLabel(g.size)} entities (${g.entities} in the graph; ${g.note})`, '');
    out.push(
      '| query | server | req/s | p50 ms | p99 ms | errors | statements | wrong/samples |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const q of qs) {
      for (const name of SERVERS) {
        const v = q.servers[name];
        const label = name === 'marketgraph' ? q.query : '';
        if (!v) {
          out.push(`| ${label} | ${name} | cannot answer | | | | | |`);
          continue;
        }
        out.push(
          `| ${label} | ${name} | ${f0(v.rps)} | ${f1(v.p50_ms)} | ${f1(v.p99_ms)} | ${v.errors} | ${f2(v.statements)} | ${v.wrong === null ? 'not compared' : v.wrong}/${v.samples} |`,
        );
      }
    }
    out.push(
      '',
      '| query | req/s mg/peer | p99 mg/peer | p50 mg/floor | ≥1.5× peer | p99 ≤ peer | p50 ≤ 1.3× floor |',
    );
    out.push('| --- | ---: | ---: | ---: | :---: | :---: | :---: |');
    for (const q of qs) {
      const t = targetsOf(q);
      out.push(
        `| ${q.query} | ${f2(q.ratios.rps_vs_peer)} | ${f2(q.ratios.p99_vs_peer)} | ${f2(q.ratios.p50_vs_floor)} | ${mark(t.throughput)} | ${mark(t.p99)} | ${mark(t.floor)} |`,
      );
    }
    out.push('');
  }
  out.push('![requests per second per query and server](side-by-side.svg)', '');

  out.push('### How the peer answers', '');
  const seen = new Set<string>();
  for (const q of r.queries) {
    if (seen.has(q.query)) continue;
    seen.add(q.query);
    out.push(`- **${q.query}** (${q.title}): ${q.peer ?? 'native'}`);
  }
  out.push('');

  out.push('## Growth: the whole mix at each size', '');
  out.push('| size | server | req/s | p50 ms | p99 ms | errors | p50 vs smallest | p99 vs smallest |');
  out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const g of r.growth) {
    for (const name of SERVERS) {
      const v = g.servers[name];
      if (!v) continue;
      const rel = g.relative[name];
      out.push(
        `| ${sizeLabel(g.size)} | ${name} | ${f0(v.rps)} | ${f1(v.p50_ms)} | ${f1(v.p99_ms)} | ${v.errors} | ${f2(rel?.p50)}× | ${f2(rel?.p99)}× |`,
      );
    }
  }
  out.push('', '![mix latency relative to the smallest size](growth.svg)', '');

  out.push('## Loading', '');
  if (r.load.length === 0) {
    out.push(
      'No size was (re)loaded into a fresh directory in this run and none recorded a load earlier.',
      '',
    );
  } else {
    out.push(
      '| size | entities | facts | project loader facts/s | bare UNWIND/MERGE facts/s | project / bare | measured |',
    );
    out.push('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const l of r.load) {
      out.push(
        `| ${sizeLabel(l.size)} | ${l.entities} | ${l.project.facts} | ${f0(l.project.factsPerSecond)} | ${f0(l.bare?.factsPerSecond)} | ${l.bare ? f2(l.project.factsPerSecond / l.bare.factsPerSecond) : '–'} | ${l.measuredAt} |`,
      );
    }
    out.push('');
  }

  out.push('## Soak', '');
  if (!r.soak) out.push('Not run.', '');
  else {
    const k = r.soak;
    const first = k.samples[0];
    const last = k.samples[k.samples.length - 1];
    out.push(
      `${k.seconds} s of the mix on marketgraph at ${sizeLabel(k.size)} entities: ${k.load.requests} requests, ` +
        `${f0(k.load.rps)} req/s, p50 ${f1(k.load.p50_ms)} ms, p99 ${f1(k.load.p99_ms)} ms, ${k.load.errors} errors.`,
      '',
      `Memory sampled ${k.samples.length} times; growth is the least-squares trend over the run (the heap ` +
        'saw-tooths with each collection, so two single samples would mislead).',
      '',
      '| | start | end | max | trend over the run | trend over the second half |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      `| RSS MB | ${f1(first?.rssMb)} | ${f1(last?.rssMb)} | ${f1(Math.max(...k.samples.map((x) => x.rssMb)))} | ${f1(k.rssGrowthMb)} | ${f1(k.rssGrowthSecondHalfMb)} |`,
      `| heap used MB | ${f1(first?.heapUsedMb)} | ${f1(last?.heapUsedMb)} | ${f1(Math.max(...k.samples.map((x) => x.heapUsedMb)))} | ${f1(k.heapGrowthMb)} | ${f1(k.heapGrowthSecondHalfMb)} |`,
      '',
    );
  }

  out.push('## Scaling: WORKERS', '');
  if (!r.scaling) out.push('Not run (skipped under --quick or --no-scaling).', '');
  else {
    out.push(
      `The mix on marketgraph at ${sizeLabel(r.scaling.size)} entities, without the statement counter.`,
      '',
    );
    out.push('| WORKERS | req/s | p50 ms | p99 ms | errors |', '| ---: | ---: | ---: | ---: | ---: |');
    for (const w of r.scaling.workers) {
      out.push(
        `| ${w.workers} | ${f0(w.load.rps)} | ${f1(w.load.p50_ms)} | ${f1(w.load.p99_ms)} | ${w.load.errors} |`,
      );
    }
    out.push(
      '',
      `2 workers / 1 worker: ${f2(r.scaling.speedup)}× (equal figures mean the WORKERS setting was not there to use).`,
      '',
    );
  }
  return `${out.join('\n')}\n`;
}

function legend(x: number, y: number): string {
  return SERVERS.map(
    (name, i) =>
      `<rect x="${x + i * 150}" y="${y}" width="12" height="12" fill="${COLORS[name]}"/>` +
      `<text x="${x + i * 150 + 18}" y="${y + 11}">${name}</text>`,
  ).join('');
}

/** Grouped bars of requests per second, one panel per size. */
function sideBySideSvg(r: Results): string {
  const panels = r.graphs.map((g) => r.queries.filter((q) => q.size === g.size));
  const queryCount = Math.max(1, ...panels.map((p) => p.length));
  const panelW = 80 + queryCount * 90;
  const panelH = 260;
  const width = panelW;
  const height = 50 + panels.length * (panelH + 60);
  const parts: string[] = [];
  panels.forEach((qs, pi) => {
    const top = 50 + pi * (panelH + 60);
    const max = Math.max(1, ...qs.flatMap((q) => SERVERS.map((n) => q.servers[n]?.rps ?? 0)));
    const plotH = panelH - 70;
    const size = r.graphs[pi]?.size ?? 0;
    parts.push(
      `<text x="10" y="${top + 12}" font-weight="bold">${sizeLabel(size)} entities: requests/s</text>`,
    );
    parts.push(
      `<line x1="60" y1="${top + 20 + plotH}" x2="${width - 10}" y2="${top + 20 + plotH}" stroke="#999"/>`,
    );
    for (const tick of [0, 0.5, 1]) {
      const y = top + 20 + plotH - tick * plotH;
      parts.push(`<text x="55" y="${y + 4}" text-anchor="end" font-size="10">${f0(max * tick)}</text>`);
    }
    qs.forEach((q, qi) => {
      const x0 = 70 + qi * 90;
      SERVERS.forEach((name, si) => {
        const v = q.servers[name]?.rps ?? 0;
        const h = (v / max) * plotH;
        const x = x0 + si * 24;
        parts.push(
          `<rect x="${x}" y="${top + 20 + plotH - h}" width="22" height="${h}" fill="${COLORS[name]}"><title>${esc(`${q.query} ${name}: ${f0(v)} req/s`)}</title></rect>`,
        );
      });
      parts.push(
        `<text transform="translate(${x0 + 36},${top + 32 + plotH}) rotate(25)" font-size="10">${esc(q.query)}</text>`,
      );
    });
  });
  return svg('Requests per second per query and server', width, height, `${legend(10, 10)}${parts.join('')}`);
}

/** Mix p50 relative to the smallest size, one line per server. */
function growthSvg(r: Results): string {
  const width = 520;
  const height = 300;
  const left = 60;
  const top = 40;
  const plotW = width - left - 30;
  const plotH = height - top - 50;
  const points = r.growth;
  const max = Math.max(1.5, ...points.flatMap((g) => SERVERS.map((n) => g.relative[n]?.p50 ?? 0)));
  const x = (i: number) => left + (points.length <= 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const parts: string[] = [legend(10, 10)];
  parts.push(
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#999"/>`,
  );
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#999"/>`);
  for (const tick of [0, 1, max]) {
    parts.push(
      `<text x="${left - 5}" y="${y(tick) + 4}" text-anchor="end" font-size="10">${f1(tick)}×</text>`,
    );
  }
  points.forEach((g, i) => {
    parts.push(
      `<text x="${x(i)}" y="${top + plotH + 18}" text-anchor="middle" font-size="11">${sizeLabel(g.size)}</text>`,
    );
  });
  for (const name of SERVERS) {
    const pts = points
      .map((g, i) => [i, g.relative[name]?.p50] as const)
      .filter((p): p is readonly [number, number] => p[1] !== undefined);
    if (pts.length === 0) continue;
    parts.push(
      `<polyline fill="none" stroke="${COLORS[name]}" stroke-width="2" points="${pts.map(([i, v]) => `${x(i)},${y(v)}`).join(' ')}"/>`,
    );
    for (const [i, v] of pts) {
      parts.push(
        `<circle cx="${x(i)}" cy="${y(v)}" r="3" fill="${COLORS[name]}"><title>${name}: ${f2(v)}×</title></circle>`,
      );
    }
  }
  parts.push(
    `<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle" font-size="11">mix p50 relative to the smallest size</text>`,
  );
  return svg('Mix p50 relative to the smallest size', width, height, parts.join(''));
}

function svg(title: string, width: number, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="sans-serif" font-size="12"><title>${esc(title)}</title>` +
    `<rect width="100%" height="100%" fill="white"/>${body}</svg>\n`
  );
}

export function renderCharts(r: Results): Record<string, string> {
  return { 'side-by-side.svg': sideBySideSvg(r), 'growth.svg': growthSvg(r) };
}
