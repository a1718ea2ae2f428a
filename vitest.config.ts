import { defineConfig } from 'vitest/config';

// Unit tests (*.unit.test.ts) need no I/O; integration (*.int.test.ts) and
// end-to-end (*.e2e.test.ts) tests start the real parts they need.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/harness/summaryLineReporter.ts'],
  },
});
