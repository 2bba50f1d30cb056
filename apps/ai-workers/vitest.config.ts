import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // `pnpm test:coverage` (vitest run --coverage). Thresholds sit just under the measured numbers,
    // so coverage can only go up.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'html', 'json-summary'],
      thresholds: { statements: 92.5, branches: 81.5, functions: 96.5, lines: 94 },
    },
    // Every AWS client in a test is pointed at loopback; these make sure nothing falls back to real
    // AWS (no credentials chain, no instance metadata) and keep Powertools quiet.
    env: {
      AWS_REGION: 'ap-southeast-1',
      AWS_ACCESS_KEY_ID: 'AKIDTESTONLY',
      AWS_SECRET_ACCESS_KEY: 'test-secret-not-real',
      AWS_EC2_METADATA_DISABLED: 'true',
      POWERTOOLS_SERVICE_NAME: 'bandup-ai-test',
      POWERTOOLS_METRICS_NAMESPACE: 'BandupTest',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_TRACE_ENABLED: 'false',
    },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
