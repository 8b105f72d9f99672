import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'connector',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**'],
        },
      },
      {
        // Every Logto release from 1.20 to 1.42 locks ky at 1.2.3, and a connector imports
        // Logto's: the failure and hostile-upstream tests run again on it.
        extends: true,
        resolve: { alias: [{ find: /^ky$/, replacement: 'ky-1.2.3' }] },
        test: {
          name: 'on Logto’s ky 1.2.3',
          include: [
            'src/faults.test.ts',
            'src/xiaomi-error-codes.test.ts',
            'src/retries.test.ts',
            'src/index.test.ts',
            'src/config.test.ts',
            'test/hostile/**/*.test.ts',
          ],
        },
      },
    ],
  },
});
