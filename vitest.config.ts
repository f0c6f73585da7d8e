import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'e2e/**/*.test.ts'],
    // Load tests need the machine to themselves: vitest.load.config.ts, after this suite.
    exclude: ['test/load/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests run real ffmpeg/Chromium processes; 2 cores in CI.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
