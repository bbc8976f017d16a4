import { parseConfig } from '../config.js';
import { connect } from '../neo4j/connect.js';
import { LocalNeo4jError } from '../neo4j/local.js';
import { DatasetError } from './facts.js';
import { seedFile } from './seed.js';

/** npm run seed [file]: validate a facts file and load it; exit 1 with the problems named when it is bad. */
async function main(): Promise<number> {
  const config = parseConfig();
  const file = process.argv[2] ?? config.seed.file;
  let connection: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    connection = await connect(config);
    const report = await seedFile(connection.db, file);
    console.log(
      `Loaded ${file} into ${connection.describe}: ${report.entities} entities, ${report.relationships} relationships, ` +
        `${report.mentions} mentions (${report.nodesCreated} nodes and ${report.relationshipsCreated} relationships created).`,
    );
    return 0;
  } catch (err) {
    if (err instanceof DatasetError || err instanceof LocalNeo4jError) console.error(err.message);
    else
      console.error(
        `Seeding ${file} failed; the database is unchanged.\n${(err as Error).stack ?? String(err)}`,
      );
    return 1;
  } finally {
    await connection?.close();
  }
}

process.exitCode = await main();
