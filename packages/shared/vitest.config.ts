import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Correctness, not speed, is tested here (speed lives in benchmarks): validating the whole OpenAPI
    // document takes seconds on a loaded 2-core CI machine, well past vitest's 5 s default.
    testTimeout: 60_000,
  },
});
