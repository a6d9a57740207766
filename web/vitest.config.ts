import { defineConfig } from 'vitest/config'

/**
 * The dashboard's component tests (web/src/**\/*.test.tsx). Each file asks for the happy-dom
 * environment itself (`// @vitest-environment happy-dom`), so the repository's root config can
 * list these files too without changing how any other suite runs.
 */
export default defineConfig({
  root: import.meta.dirname,
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
  },
})
