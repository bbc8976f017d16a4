import { parseConfig } from '../config.js';
import { connect } from '../neo4j/connect.js';
import { LocalNeo4jError } from '../neo4j/local.js';
import { keyCommand, USAGE, UsageError } from './commands.js';

/** npm run key -- create|list|revoke: API keys, on the same Neo4j the service uses. */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (!args.length || args[0] === '--help' || args[0] === 'help') {
    console.log(USAGE);
    return args.length ? 0 : 1;
  }
  const config = parseConfig();
  let connection: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    connection = await connect(config);
    return await keyCommand(connection.db, args, { out: (line) => console.log(line) });
  } catch (err) {
    if (err instanceof UsageError) console.error(`${err.message}\n${USAGE}`);
    else if (err instanceof LocalNeo4jError) console.error(err.message);
    else console.error(`npm run key -- ${args[0]} failed.\n${(err as Error).stack ?? String(err)}`);
    return 1;
  } finally {
    await connection?.close();
  }
}

process.exitCode = await main();
