import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Correctness, not speed, is tested here (speed lives in benchmarks): validating the whole OpenAPI
    // document takes seconds on a loaded 2-core CI machine, well past vitest's 5 s default.
    testTimeout: 60_000,
    // `pnpm test:coverage` (vitest run --coverage). Thresholds sit just under the measured numbers,
    // so coverage can only go up.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'html', 'json-summary'],
      thresholds: { statements: 98, branches: 96, functions: 99, lines: 98.5 },
    },
  },
});
