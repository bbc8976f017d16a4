import { z } from 'zod';

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
    SEED: z.enum(['if-empty', 'always', 'never']).default('if-empty'),
    SEED_FILE: z.string().min(1).default('seed/xiaomi-korea.facts.json'),
    GRAPHIQL: bool.optional(),
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
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
    neo4j: {
      uri: e.NEO4J_URI,
      user: e.NEO4J_USER,
      password: e.NEO4J_PASSWORD,
      database: e.NEO4J_DATABASE,
      txTimeoutMs: e.NEO4J_TX_TIMEOUT_MS,
      local: { dataDir: e.NEO4J_DATA_DIR, heap: e.NEO4J_HEAP, pageCache: e.NEO4J_PAGECACHE },
    },
    seed: { mode: e.SEED, file: e.SEED_FILE },
  };
}
