/**
 * Bench-only preload (`node --import tsx --import ./bench/count-statements.ts ...`): counts the Cypher
 * statements this process sends through neo4j-driver and the HTTP requests it serves, and answers both with
 * process.memoryUsage() as JSON on 127.0.0.1:$BENCH_STATS_PORT, so the bench can read them before and after a
 * measured round without any change to the server it wraps. Counting requests here rather than trusting the
 * load generator's total keeps requests still in flight when a round stops from skewing the ratio. Transaction functions (executeRead) run through Transaction.run, auto-commit
 * queries through Session.run; patching both prototypes catches every statement whichever API a server uses.
 */
import cluster from 'node:cluster';
import { subscribe } from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import { Session, Transaction } from 'neo4j-driver';

let statements = 0;
let requests = 0;
let stats: Server | undefined;

subscribe('http.server.request.start', (message) => {
  const { server } = message as { server?: Server };
  if (server !== stats) requests += 1;
});

const txRun = Transaction.prototype.run;
Transaction.prototype.run = function (this: Transaction, ...args: Parameters<typeof txRun>) {
  statements += 1;
  return txRun.apply(this, args);
};
const sessionRun = Session.prototype.run;
Session.prototype.run = function (this: Session, ...args: Parameters<typeof sessionRun>) {
  statements += 1;
  return sessionRun.apply(this, args);
};

const port = Number(process.env.BENCH_STATS_PORT);
// Cluster workers would share the primary's port: only the primary answers (the scaling run does not count).
if (port > 0 && cluster.isPrimary) {
  stats = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ statements, requests, memory: process.memoryUsage() }));
  });
  stats.listen(port, '127.0.0.1');
  // The side port must not keep a server alive that is shutting down.
  stats.unref();
}
