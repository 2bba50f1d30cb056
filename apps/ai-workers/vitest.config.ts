import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // `pnpm test:coverage` (vitest run --coverage). Thresholds sit just under the measured numbers,
    // so coverage can only go up. V8 sees only the test's own thread: src/rag/parse-pdf.ts runs in
    // the worker thread of parse-pdf-bounded.ts, so its tests count for nothing here.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'html', 'json-summary'],
      thresholds: { statements: 90, branches: 83.5, functions: 92, lines: 91 },
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
