import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  outDir: 'lib',
  sourcemap: true,
  dts: true,
  clean: true,
  // Logto resolves these from its own node_modules; the kit must stay external for `instanceof`.
  external: ['@logto/connector-kit', 'ky', 'zod', 'snakecase-keys', '@silverhand/essentials'],
});
