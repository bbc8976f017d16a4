import { z } from 'zod';

/** What a GraphQL request may ask for; each is configurable (MAX_DEPTH, ...). */
export interface Limits {
  /** Levels of nested fields (fragments add none; introspection's own fields add none). */
  maxDepth: number;
  /** Aliased fields, counted once per path to them. */
  maxAliases: number;
  /** Directives anywhere in the document. */
  maxDirectives: number;
  /** Lexical tokens of the query text: refused while parsing, before anything is built. */
  maxTokens: number;
  /** The estimated number of fields resolved (each list multiplies what it selects by its size). */
  maxCost: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDepth: 10,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 2000,
  maxCost: 50_000,
};

/** The largest request body read, in bytes (413 beyond it). */
export const DEFAULT_MAX_BODY_BYTES = 100_000;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const memory = z.string().regex(/^\d+[kmg]$/i, 'a size such as 512m or 1g');

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('localhost'),
    PORT: z.coerce.number({ error: 'a port number' }).int().min(0).max(65535).default(4000),
    NEO4J_URI: z
      .string()
      .regex(/^(bolt|bolt\+s|bolt\+ssc|neo4j|neo4j\+s|neo4j\+ssc):\/\/.+/, 'a bolt:// or neo4j:// URI')
      .optional(),
    NEO4J_USER: z.string().min(1).default('neo4j'),
    NEO4J_PASSWORD: z.string().optional(),
    NEO4J_DATABASE: z.string().min(1).default('neo4j'),
    NEO4J_DATA_DIR: z.string().min(1).default('.data/neo4j'),
    NEO4J_HEAP: memory.default('512m'),
    NEO4J_PAGECACHE: memory.default('128m'),
    NEO4J_TX_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    LOAD_FACTS: z.enum(['if-empty', 'always', 'never']).default('if-empty'),
    FACTS_FILE: z.string().min(1).default('facts/xiaomi-korea.facts.json'),
    GRAPHIQL: bool.optional(),
    EXPLORER: bool.default(true),
    INTROSPECTION: bool.optional(),
    CORS_ORIGINS: z.string().optional(),
    READ_ACCESS: z.enum(['open', 'key']).default('open'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
    MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(DEFAULT_LIMITS.maxDepth),
    MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(DEFAULT_LIMITS.maxAliases),
    MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(DEFAULT_LIMITS.maxDirectives),
    MAX_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(DEFAULT_LIMITS.maxTokens),
    MAX_COST: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.maxCost),
    MAX_BODY_BYTES: z.coerce.number().int().min(1000).default(DEFAULT_MAX_BODY_BYTES),
    BATCH_LIMIT: z.coerce.number().int().min(0).max(100).default(0),
    NEO4J_MAX_RETRY_MS: z.coerce.number().int().min(0).max(600_000).default(3_000),
    NEO4J_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(3_000),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
    WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  })
  .refine((env) => !env.NEO4J_URI || env.NEO4J_PASSWORD !== undefined, {
    message: 'NEO4J_PASSWORD is required when NEO4J_URI is set',
    path: ['NEO4J_PASSWORD'],
  });

export type Config = ReturnType<typeof parseConfig>;

/** Reads and validates the environment once; the rest of the code takes the result as an argument. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const origins = e.CORS_ORIGINS?.split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    graphiql: e.GRAPHIQL ?? !production,
    /** The explorer page at /explore: a client of the public API, so on in every mode unless turned off. */
    explorer: e.EXPLORER,
    introspection: e.INTROSPECTION ?? !production,
    /** Local mode allows any origin; production only those listed. */
    corsOrigins: origins ?? (production ? [] : ('*' as const)),
    /** `key`: every query needs an API key with the read scope; `open`: reading needs none. */
    readAccess: e.READ_ACCESS,
    logLevel: e.LOG_LEVEL,
    limits: {
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxDirectives: e.MAX_DIRECTIVES,
      maxTokens: e.MAX_TOKENS,
      maxCost: e.MAX_COST,
    },
    maxBodyBytes: e.MAX_BODY_BYTES,
    batchLimit: e.BATCH_LIMIT,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    neo4j: {
      uri: e.NEO4J_URI,
      user: e.NEO4J_USER,
      password: e.NEO4J_PASSWORD,
      database: e.NEO4J_DATABASE,
      txTimeoutMs: e.NEO4J_TX_TIMEOUT_MS,
      maxRetryMs: e.NEO4J_MAX_RETRY_MS,
      connectTimeoutMs: e.NEO4J_CONNECT_TIMEOUT_MS,
      local: { dataDir: e.NEO4J_DATA_DIR, heap: e.NEO4J_HEAP, pageCache: e.NEO4J_PAGECACHE },
    },
    facts: { load: e.LOAD_FACTS, file: e.FACTS_FILE },
    workers: e.WORKERS,
  };
}
