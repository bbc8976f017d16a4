import { parseConfig } from '../config.js';
import type { EntitiesReport, IngestReport } from '../graph/ingest.js';
import { connect } from '../neo4j/connect.js';
import { LocalNeo4jError } from '../neo4j/local.js';
import { FactsError } from './file.js';
import { loadFacts } from './load.js';

const USAGE = `Usage: npm run ingest -- [facts file]
       npm run load -- [facts file]

Checks a facts file (its format, every quote against the article, finding the place of a quote given without
offsets, each relationship's ends by id or name), then ingests it into Neo4j, one transaction per article:
entities given without an id are found by their spellings (or created), facts the article no longer states are
retracted, and the article's mentions are linked. A bad file changes nothing and exits 1 with every problem
named. Without a file argument it ingests FACTS_FILE. load is the same command.`;

/** What an ingest did, in a few lines. */
export function describeIngest(file: string, where: string, r: IngestReport | EntitiesReport): string[] {
  const lines = [
    `Ingested ${r.article ?? 'entities without an article'} from ${file} into ${where}: ${r.entities} entities (${r.created.length} created, ` +
      `${r.matched.length} matched), ${r.relationships} relationships, ${r.mentions} mentions` +
      (r.changed
        ? ` (${r.nodesCreated} nodes and ${r.relationshipsCreated} relationships created).`
        : '; nothing changed.'),
  ];
  for (const m of r.matched.filter((m) => m.by === 'name')) {
    lines.push(`  matched "${m.spelling}" to ${m.name} (${m.id})`);
  }
  for (const c of r.created) lines.push(`  created ${c.id} (${c.name})`);
  for (const id of r.retracted) lines.push(`  retracted ${id}: no longer in the article`);
  for (const id of r.unsupported)
    lines.push(`  ${id}: no longer in the article, kept on other articles' evidence`);
  return lines;
}

/** npm run ingest [file] (or load): validate a facts file and ingest it; exit 1 with the problems named when it is bad. */
async function main(): Promise<number> {
  if (process.argv[2] === '--help' || process.argv[2] === '-h') {
    console.log(USAGE);
    return 0;
  }
  const config = parseConfig();
  const file = process.argv[2] ?? config.facts.file;
  let connection: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    connection = await connect(config);
    for (const report of await loadFacts(connection.db, file)) {
      for (const line of describeIngest(file, connection.describe, report)) console.log(line);
    }
    return 0;
  } catch (err) {
    if (err instanceof FactsError || err instanceof LocalNeo4jError) console.error(err.message);
    else
      console.error(
        `Ingesting ${file} failed; the database is unchanged.\n${(err as Error).stack ?? String(err)}`,
      );
    return 1;
  } finally {
    await connection?.close();
  }
}

process.exitCode = await main();
