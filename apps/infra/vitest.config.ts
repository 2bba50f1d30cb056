import { defineConfig } from 'vitest/config';

/**
 * Infra tests: synthesis is CPU-bound and the real-Terraform test plans every stack, so tests get
 * generous timeouts. Nothing Jest-only is registered (CDKTF's `Testing` matchers are not used:
 * tests parse the synthesized JSON and assert on it directly).
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // `pnpm test:coverage` (vitest run --coverage). No thresholds yet: the full run (real Terraform
    // plans under V8 instrumentation) has not been measured to completion.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'html', 'json-summary'],
    },
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 600_000,
    // Synth-heavy files share 2 cores with other work: at most two files at once.
    maxWorkers: 2,
  },
});
