import { defineConfig } from 'vitest/config';

// Browser tests drive Chromium (/usr/bin/chromium) through playwright-core: `npm run test:browser`.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
