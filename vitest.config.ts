import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Workflow tests share process-wide SDK clients and the clock; files run in separate workers.
    pool: 'forks',
  },
});
