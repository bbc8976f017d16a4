/**
 * The peer: the Neo4j GraphQL Library (@neo4j/graphql 7) served by graphql-yoga on node:http, set up as its
 * documentation shows (one driver with default settings, `new Neo4jGraphQL({ typeDefs, driver }).getSchema()`,
 * yoga's defaults with NODE_ENV=production). Run as a child of the bench (bench/servers.ts): env NEO4J_URI,
 * NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, HOST, PORT.
 */
import { createServer } from 'node:http';
import { Neo4jGraphQL } from '@neo4j/graphql';
import { createYoga } from 'graphql-yoga';
import neo4j from 'neo4j-driver';
import { peerTypeDefs } from './peer-schema.js';

const env = process.env;
const driver = neo4j.driver(
  env.NEO4J_URI ?? '',
  neo4j.auth.basic(env.NEO4J_USER ?? 'neo4j', env.NEO4J_PASSWORD ?? ''),
);
const schema = await new Neo4jGraphQL({ typeDefs: peerTypeDefs(), driver }).getSchema();
const database = env.NEO4J_DATABASE ?? 'neo4j';

const yoga = createYoga({
  schema,
  graphiql: false,
  context: () => ({ sessionConfig: { database } }),
});

const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
    return;
  }
  yoga(req, res);
});
server.listen(Number(env.PORT ?? 0), env.HOST ?? '127.0.0.1', () => {
  console.log(`neo4j-graphql serving http://${env.HOST ?? '127.0.0.1'}:${env.PORT}/graphql`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    driver.close().finally(() => process.exit(0));
  });
}
