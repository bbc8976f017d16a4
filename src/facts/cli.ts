import { parseConfig } from '../config.js';
import { connect } from '../neo4j/connect.js';
import { LocalNeo4jError } from '../neo4j/local.js';
import { FactsError } from './file.js';
import { loadFacts } from './load.js';

const USAGE = `Usage: npm run load -- [facts file]
       npm run ingest -- [facts file]

Checks a facts file (its format, every quote against the article, finding the place of a quote given without
offsets, unique ids), then loads it into Neo4j in one transaction. A bad file changes nothing and exits 1 with
every problem named. Without a file argument it loads FACTS_FILE.
ingest is the same command as load for now.`;

/** npm run load [file] (or ingest): validate a facts file and load it; exit 1 with the problems named when it is bad. */
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
    const report = await loadFacts(connection.db, file);
    console.log(
      `Loaded ${file} into ${connection.describe}: ${report.entities} entities, ${report.relationships} relationships, ` +
        `${report.mentions} mentions (${report.nodesCreated} nodes and ${report.relationshipsCreated} relationships created).`,
    );
    return 0;
  } catch (err) {
    if (err instanceof FactsError || err instanceof LocalNeo4jError) console.error(err.message);
    else
      console.error(
        `Loading ${file} failed; the database is unchanged.\n${(err as Error).stack ?? String(err)}`,
      );
    return 1;
  } finally {
    await connection?.close();
  }
}

process.exitCode = await main();
