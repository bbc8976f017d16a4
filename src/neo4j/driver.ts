import neo4j, {
  type Driver,
  isRetryableError,
  type ManagedTransaction,
  Neo4jError,
  type Session,
  type SessionMode,
} from 'neo4j-driver';
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
 * The causal chain of one request (a view's): the bookmarks its sessions start from, which are the client's
 * until a write commits and then that write's. Writes that ran side by side each keep their bookmark.
 */
class Chain {
  private current: string[];
  private wrote = false;

  constructor(bookmarks: readonly string[]) {
    this.current = [...new Set(bookmarks)];
  }

  get bookmarks(): string[] {
    return this.current;
  }

  /** A write that started from `started` committed and got `received`, which supersedes `started`. */
  committed(started: readonly string[], received: readonly string[]): void {
    const kept = this.current.filter((b) => !started.includes(b));
    this.current = [...new Set([...kept, ...received])];
    this.wrote = true;
  }

  get written(): string[] | null {
    return this.wrote ? [...this.current] : null;
  }
}

/**
 * The one way the rest of the code talks to Neo4j: transactions with a database and a timeout, retried on
 * transient errors, reads routed to readers in a cluster. `withBookmarks` gives one request its own view, for
 * reading its own writes (and a client's) on a cluster.
 */
export class Db {
  private readonly breaker: Breaker;
  /** A view's causal chain; the shared Db has none and its sessions start from no bookmark. */
  private readonly chain: Chain | null = null;

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

  /**
   * A view of this Db for one request: the same driver, breaker and settings, whose transactions (reads and
   * writes) start from `bookmarks`, so they see at least the state those bookmarks name, and then from the
   * bookmark of each write the view commits (see committedBookmarks), so its later reads see its writes on any
   * server. Views share no bookmarks: each request makes its own view, and the shared Db keeps none.
   */
  withBookmarks(bookmarks: readonly string[]): Db {
    const chain = new Chain(bookmarks);
    // A proxy rather than a copy: the view is this very Db, a subclass's overrides and state included (a
    // test's statement counter keeps counting), but for its chain.
    return new Proxy(this, {
      get: (target, key, receiver) => (key === 'chain' ? chain : Reflect.get(target, key, receiver)),
    });
  }

  /**
   * The bookmarks a client sends back to read at least what this view wrote: those of its last committed write
   * (and of writes that ran beside it); null when it committed none, and always for the shared Db.
   */
  committedBookmarks(): string[] | null {
    return this.chain?.written ?? null;
  }

  private session(mode: SessionMode): Session {
    return this.driver.session({
      database: this.database,
      defaultAccessMode: mode,
      bookmarks: this.chain?.bookmarks,
    });
  }

  /** Runs one attempt after another, behind the breaker, while the failure is transient and time is left. */
  private retrying<T>(attempt: () => Promise<T>): Promise<T> {
    return this.breaker.run(async () => {
      const started = Date.now();
      for (let delay = 100; ; delay *= 2) {
        try {
          return await attempt();
        } catch (err) {
          const failure = classifyDbError(err);
          const budget = failure === 'SERVICE_UNAVAILABLE' ? this.unreachableMs : this.maxRetryMs;
          // A bookmark not reached was already waited for, by the server, as long as it would wait.
          if (!isRetryableError(err) || failure === 'BOOKMARK_NOT_REACHED') throw err;
          if (Date.now() + delay - started > budget) throw err;
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
      const session = this.session(neo4j.session.READ);
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
      const session = this.session(neo4j.session.READ);
      return session.executeRead(work, { timeout: this.txTimeoutMs }).finally(() => session.close());
    });
  }

  /**
   * Writes take the request timeout unless they say otherwise (a whole facts load needs longer). A view
   * remembers the bookmark of each write it commits.
   */
  write<T>(work: (tx: Tx) => Promise<T>, timeoutMs = this.txTimeoutMs): Promise<T> {
    return this.retrying(async () => {
      const chain = this.chain;
      const started = chain?.bookmarks ?? [];
      const session = this.session(neo4j.session.WRITE);
      try {
        const result = await session.executeWrite(work, { timeout: timeoutMs });
        chain?.committed(started, session.lastBookmarks());
        return result;
      } finally {
        await session.close();
      }
    });
  }

  /** One read without the driver's retries, for health probes that must answer quickly either way. */
  async probe<T>(work: (tx: Runner) => Promise<T>, timeoutMs = 2_000): Promise<T> {
    const session = this.session(neo4j.session.READ);
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

  /** Closes the driver, for every view of it too: for the process that made the Db, never for a request. */
  close(): Promise<void> {
    return this.driver.close();
  }
}
