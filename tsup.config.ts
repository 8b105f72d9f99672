import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  outDir: 'lib',
  // No source map in the package: Logto runs `node .` without --enable-source-maps, so stack traces
  // in its logs point into lib/index.js, which is not minified and keeps the function names.
  sourcemap: false,
  dts: true,
  clean: true,
  // Logto resolves these from its own node_modules; the kit must stay external for `instanceof`.
  external: ['@logto/connector-kit', 'ky', 'zod', 'snakecase-keys', '@silverhand/essentials'],
});
