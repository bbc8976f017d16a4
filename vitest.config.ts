import { defineConfig } from 'vitest/config';

export default defineConfig({
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
