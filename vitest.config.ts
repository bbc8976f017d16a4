import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

const resolve = {
  // graphql ships CJS (main) and ESM (module) builds; Node loads the CJS one for the libraries, so the
  // project's own imports must get the same one or schema objects come from two "realms".
  alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
};
const include = ['tests/**/*.test.ts'];
const timeouts = { testTimeout: 60_000, hookTimeout: 240_000 };

/**
 * With TEST_PARALLEL=1 these still run one at a time, after the others: bench-data puts a corpus next to the
 * article that every other file would see; outage and ingest-crash kill and restart a Neo4j of their own, whose
 * timings a busy machine spoils.
 */
const ALONE = ['tests/bench-data.int.test.ts', 'tests/outage.int.test.ts', 'tests/ingest-crash.int.test.ts'];

export default defineConfig({
  resolve,
  test: {
    include,
    // One Neo4j for the whole run (started here unless NEO4J_URI is given), shared by all test files.
    globalSetup: ['tests/support/globalSetup.ts'],
    // Two cores: test files run one after another against the one database, unless TEST_PARALLEL=1.
    fileParallelism: false,
    ...timeouts,
    reporters: ['default', 'junit'],
    outputFile: { junit: 'reports/junit.xml' },
    // Each file owns what it writes, so files may also run two at a time; the global setup stays the root's.
    projects:
      process.env.TEST_PARALLEL === '1'
        ? [
            {
              resolve,
              test: {
                name: 'parallel',
                include,
                exclude: ALONE,
                ...timeouts,
                fileParallelism: true,
                maxWorkers: 2,
                sequence: { groupOrder: 0 },
              },
            },
            {
              resolve,
              test: {
                name: 'alone',
                include: ALONE,
                ...timeouts,
                fileParallelism: false,
                sequence: { groupOrder: 1 },
              },
            },
          ]
        : undefined,
  },
});
