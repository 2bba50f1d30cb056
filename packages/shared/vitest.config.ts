import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The OpenAPI validation test takes seconds under coverage instrumentation on a shared machine.
    testTimeout: 20_000,
    // `pnpm test:coverage` (vitest run --coverage). Thresholds sit just under the measured numbers,
    // so coverage can only go up.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'html', 'json-summary'],
      thresholds: { statements: 96, branches: 92.5, functions: 97, lines: 97 },
    },
  },
});
