import { defineConfig } from 'vitest/config'

export default defineConfig({
  // The dashboard's component tests are .tsx with React's automatic JSX runtime.
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites share two cores and one PostgreSQL; a few files at a time keeps timings honest.
    maxWorkers: 2,
  },
})
