import { defineConfig } from 'vitest/config';

// Unit tests (*.unit.test.ts) need no I/O; integration (*.int.test.ts) and
// end-to-end (*.e2e.test.ts) tests start the real parts they need.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: [
      './test/globalSetup/kafka.ts',
      './test/globalSetup/postgres.ts',
      './test/globalSetup/ui.ts',
    ],
    env: { KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    reporters: ['default', './test/harness/summaryLineReporter.ts'],
  },
});
