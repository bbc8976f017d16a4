/**
 * Bundles the explorer page (explorer/) into dist/explorer: one script and one style sheet, named by a hash of
 * their content (each also gzipped beside it), and the page that loads them. `npm run build` runs it (and so `npm start`), the tests' global
 * setup and the Docker image too; `npx tsx scripts/build-explorer.ts` runs it alone.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'explorer');

export interface ExplorerBuild {
  dir: string;
  /** Names of the files written, relative to dir. */
  files: string[];
  script: string;
  style: string;
}

export async function buildExplorer(
  outDir: string = path.join(root, 'dist', 'explorer'),
): Promise<ExplorerBuild> {
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: [path.join(source, 'main.ts')],
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    minify: true,
    sourcemap: 'linked',
    // Licence notices (Cytoscape.js is MIT) stay in the bundle.
    legalComments: 'eof',
    entryNames: '[name]-[hash]',
    outdir: outDir,
    metafile: true,
    logLevel: 'warning',
    // Cytoscape reads process.env.NODE_ENV to leave out its development warnings.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const written = Object.keys(result.metafile.outputs).map((file) =>
    path.relative(outDir, path.resolve(file)),
  );
  const script = written.find((f) => f.endsWith('.js'));
  const style = written.find((f) => f.endsWith('.css'));
  if (!script || !style)
    throw new Error(`explorer build: expected a script and a style sheet, got ${written}`);
  const page = readFileSync(path.join(source, 'index.html'), 'utf8')
    .replace('%SCRIPT%', `/explore/${script}`)
    .replace('%STYLE%', `/explore/${style}`);
  // The page goes in last and at once (rename), so a server never serves a page whose bundles are missing.
  const temporary = path.join(outDir, `.index.html.${process.pid}`);
  writeFileSync(temporary, page);
  renameSync(temporary, path.join(outDir, 'index.html'));
  // Compressed once here, so the service sends the bundles gzipped without compressing on every request.
  const compressed = [script, style].map((file) => {
    writeFileSync(
      path.join(outDir, `${file}.gz`),
      gzipSync(readFileSync(path.join(outDir, file)), { level: 9 }),
    );
    return `${file}.gz`;
  });
  const files = ['index.html', ...written, ...compressed];
  for (const stale of readdirSync(outDir)) {
    if (!files.includes(stale) && !stale.startsWith('.')) rmSync(path.join(outDir, stale), { force: true });
  }
  return { dir: outDir, files, script, style };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildExplorer();
  console.log(`explorer built: ${path.relative(root, built.dir)}/{${built.files.join(', ')}}`);
}
