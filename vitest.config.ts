import { defineConfig } from 'vitest/config';

// One project for the whole monorepo: workspace packages resolve to their TypeScript sources through
// the "@edgeseg/source" export condition, so tests never need a build except the kernels' .wasm.
export default defineConfig({
  resolve: { conditions: ['@edgeseg/source'] },
  ssr: { resolve: { conditions: ['@edgeseg/source'] } },
  test: {
    include: ['{kernels,packages,apps,tools,test}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
