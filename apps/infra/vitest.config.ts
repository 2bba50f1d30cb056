import { defineConfig } from 'vitest/config';

/**
 * Infra tests: synthesis is CPU-bound and the real-Terraform test plans every stack, so tests get
 * generous timeouts. Nothing Jest-only is registered (CDKTF's `Testing` matchers are not used:
 * tests parse the synthesized JSON and assert on it directly).
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // `pnpm test:coverage` (vitest run --coverage): every suite, the real-Terraform ones included
    // (they spend their time in Terraform, outside V8's instrumentation, and fit the timeouts below).
    // Thresholds sit just under the measured numbers (docs/mutation-testing.md), so coverage can only
    // go up.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'html', 'json-summary'],
      thresholds: { statements: 84.5, branches: 72.5, functions: 87.5, lines: 86.5 },
    },
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 600_000,
    // Synth-heavy files share 2 cores with other work: at most two files at once.
    maxWorkers: 2,
  },
});
