import neo4j, { type Driver, isRetryableError, type ManagedTransaction, Neo4jError } from 'neo4j-driver';
import { classifyDbError } from './errors.js';

export interface Neo4jConnection {
  uri: string;
  user: string;
  password: string;
  database: string;
  txTimeoutMs: number;
  connectTimeoutMs?: number;
}

export function createDriver(c: Neo4jConnection): Driver {
  return neo4j.driver(c.uri, neo4j.auth.basic(c.user, c.password), {
    // Integers come back as JS numbers: every count and offset here is far below 2^53.
    disableLosslessIntegers: true,
    maxConnectionPoolSize: 50,
    connectionAcquisitionTimeout: Math.max(5_000, c.connectTimeoutMs ?? 3_000),
    connectionTimeout: c.connectTimeoutMs ?? 3_000,
    // Retries are Db's (see retrying below), with a shorter budget for an unreachable server than the driver's.
    maxTransactionRetryTime: 0,
    userAgent: 'marketgraph/0.1',
  });
}

export type Tx = ManagedTransaction;
/** What a probe's work may use of a transaction: running statements. */
export type Runner = Pick<ManagedTransaction, 'run'>;

/**
 * Once Neo4j is found unreachable, requests fail at once for a short cool-down instead of each waiting out
 * the driver's retries; after it, a single request tries again while the others still fail fast. It only
 * remembers whether the last try reached Neo4j, so instances that disagree about it do no harm.
 */
class Breaker {
  private openUntil = 0;
  private trying = false;

  constructor(private readonly coolDownMs: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    const open = this.openUntil > 0;
    if (open && (Date.now() < this.openUntil || this.trying)) {
      throw new Neo4jError(
        'Neo4j was unreachable a moment ago; not trying again yet.',
        'ServiceUnavailable',
        '08000',
        'connection exception',
      );
    }
    if (open) this.trying = true;
    try {
      const result = await work();
      this.openUntil = 0;
      return result;
    } catch (err) {
      if (classifyDbError(err) === 'SERVICE_UNAVAILABLE') this.openUntil = Date.now() + this.coolDownMs;
      throw err;
    } finally {
      if (open) this.trying = false;
    }
  }
}

/**
 * The one way the rest of the code talks to Neo4j: transactions with a database and a timeout, retried on
 * transient errors, reads routed to readers in a cluster.
 */
export class Db {
  private readonly breaker: Breaker;

  constructor(
    readonly driver: Driver,
    readonly database: string,
    readonly txTimeoutMs: number,
    coolDownMs = 1_000,
    /** How long transient failures (deadlocks, a leader switch) are retried with backoff. */
    readonly maxRetryMs = 3_000,
    /**
     * How long a request keeps trying an unreachable Neo4j: the connect timeout, so the first requests after
     * it goes down fail within it (then the breaker answers at once) instead of retrying for maxRetryMs on top.
     */
    readonly unreachableMs = 3_000,
  ) {
    this.breaker = new Breaker(coolDownMs);
  }

  /** Runs one attempt after another, behind the breaker, while the failure is transient and time is left. */
  private retrying<T>(attempt: () => Promise<T>): Promise<T> {
    return this.breaker.run(async () => {
      const started = Date.now();
      for (let delay = 100; ; delay *= 2) {
        try {
          return await attempt();
        } catch (err) {
          const budget =
            classifyDbError(err) === 'SERVICE_UNAVAILABLE' ? this.unreachableMs : this.maxRetryMs;
          if (!isRetryableError(err) || Date.now() + delay - started > budget) throw err;
        }
        await new Promise((resolve) => setTimeout(resolve, delay * (0.8 + Math.random() * 0.4)));
      }
    });
  }

  /**
   * A read of exactly one statement, in its own auto-commit transaction: one round trip to Neo4j where a
   * transaction function takes three (BEGIN, RUN, COMMIT), each a write to the socket. One statement is one
   * transaction either way, so nothing is lost in consistency. Routed to readers in a cluster like any read.
   */
  readOne<T>(work: (tx: Runner) => Promise<T>): Promise<T> {
    return this.retrying(async () => {
      const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
      let used = false;
      const runner: Runner = {
        run: ((query: string, params?: Record<string, unknown>) => {
          if (used) throw new Error('readOne runs one statement; use read() for several');
          used = true;
          return session.run(query, params, { timeout: this.txTimeoutMs });
        }) as Runner['run'],
      };
      try {
        return await work(runner);
      } finally {
        await session.close();
      }
    });
  }

  read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.retrying(() => {
      const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
      return session.executeRead(work, { timeout: this.txTimeoutMs }).finally(() => session.close());
    });
  }

  /** Writes take the request timeout unless they say otherwise (a whole facts load needs longer). */
  write<T>(work: (tx: Tx) => Promise<T>, timeoutMs = this.txTimeoutMs): Promise<T> {
    return this.retrying(() => {
      const session = this.driver.session({
        database: this.database,
        defaultAccessMode: neo4j.session.WRITE,
      });
      return session.executeWrite(work, { timeout: timeoutMs }).finally(() => session.close());
    });
  }

  /** One read without the driver's retries, for health probes that must answer quickly either way. */
  async probe<T>(work: (tx: Runner) => Promise<T>, timeoutMs = 2_000): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      const tx = session.beginTransaction({ timeout: timeoutMs });
      try {
        const result = await work(tx);
        await tx.commit();
        return result;
      } finally {
        if (tx.isOpen()) await tx.rollback();
      }
    } finally {
      await session.close();
    }
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
