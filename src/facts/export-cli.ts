import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../config.js';
import { connect } from '../neo4j/connect.js';
import { LocalNeo4jError } from '../neo4j/local.js';
import { ExportError, writeExport } from './export.js';

const USAGE = `Usage: npm run export -- <file> [--article <id>]

Writes the graph in the facts file format, so that \`npm run ingest -- <file>\` into an empty database gives the
same graph: a JSON array of documents, one per article (by id) with its text inline, the entities its facts
and mentions touch, each fact with that article's evidence (retracted facts too, with their retraction) and
its mentions; then the entities no article touches. With --article, that article's document alone. The file
is replaced only once the export is complete; on failure it exits 1 and writes nothing.`;

class UsageError extends Error {}

/** The longest one read of the export may take (the ingest of one document gets as long). */
const EXPORT_TIMEOUT_MS = 300_000;

const OPTIONS = { article: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
const readArgs = (argv: string[]) => parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });

function parse(argv: string[]): { file: string; article: string | null } | 'help' {
  let parsed: ReturnType<typeof readArgs>;
  try {
    parsed = readArgs(argv);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.values.help) return 'help';
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) throw new UsageError('Name the file to write.');
  if (extra.length > 0) throw new UsageError(`One file only; also given: ${extra.join(' ')}`);
  const article = parsed.values.article ?? null;
  if (article !== null && article.trim() === '') throw new UsageError('--article needs an article id.');
  return { file, article };
}

/** Why the file cannot be written, known before Neo4j is reached (or started); null when it can be. */
function unwritable(file: string): string | null {
  const dir = path.dirname(path.resolve(file));
  try {
    accessSync(dir, constants.W_OK);
    return null;
  } catch {
    return `Cannot write ${file}: ${dir} is not a directory this process may write to.`;
  }
}

/** npm run export -- <file> [--article <id>]: the graph, or one article's part of it, as a facts file. */
async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  const { file, article } = args;
  const cannot = unwritable(file);
  if (cannot) {
    console.error(cannot);
    return 1;
  }
  const parsed = parseConfig();
  // A batch of long articles is one read: give it the time an ingest of them gets, not a request's.
  const txTimeoutMs = Math.max(parsed.neo4j.txTimeoutMs, EXPORT_TIMEOUT_MS);
  const config = { ...parsed, neo4j: { ...parsed.neo4j, txTimeoutMs } };
  let connection: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    connection = await connect(config);
    const s = await writeExport(connection.db, file, article);
    console.log(
      `Exported ${article ?? `${s.articles} articles`} from ${connection.describe} to ${file}: ` +
        `${s.documents} document${s.documents === 1 ? '' : 's'}, ${s.relationships} relationships with ` +
        `${s.evidence} evidence items, ${s.mentions} mentions` +
        (s.untouched > 0 ? `, ${s.untouched} entities no article touches.` : '.'),
    );
    return 0;
  } catch (err) {
    if (err instanceof ExportError || err instanceof LocalNeo4jError) console.error(err.message);
    else
      console.error(
        `Exporting to ${file} failed; nothing was written.\n${(err as Error).stack ?? String(err)}`,
      );
    return 1;
  } finally {
    await connection?.close();
  }
}

process.exitCode = await main();
