import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CJS (main) and ESM (module) builds; Node loads the CJS one for the libraries, so the
    // project's own imports must get the same one or schema objects come from two "realms".
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    // One Neo4j for the whole run (started here unless NEO4J_URI is given), shared by all test files.
    globalSetup: ['tests/support/globalSetup.ts'],
    // Two cores: integration files run one after another against the one database.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
    reporters: ['default', 'junit'],
    outputFile: { junit: 'reports/junit.xml' },
  },
});
