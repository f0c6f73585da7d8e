import { defineConfig } from 'vitest/config';

// Load tests (test/load): run by `npm test` after the main suite, one file at a time, so the
// machine's cores are theirs (they measure what the gateway sustains, not what is left over).
export default defineConfig({
  test: {
    include: ['test/load/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    maxWorkers: 1,
    fileParallelism: false,
    reporters: ['default'],
  },
});
