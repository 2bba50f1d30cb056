#!/usr/bin/env node
// Adds up the vitest JSON reports of every workspace package (written by each package's `test`
// script, restored by Turborepo on cache hits) and prints one closing line CI can read:
// "tests: N passed, N failed, N skipped". Exits non-zero if anything failed or nothing ran.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const packages = ['packages/shared', 'apps/infra', 'apps/ai-workers'];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const pkg of packages) {
  const report = path.join(pkg, 'test-results', 'vitest.json');
  if (!existsSync(report)) {
    console.error(`test-summary: no report at ${report} (did the package's tests run?)`);
    process.exitCode = 1;
    continue;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  console.log(
    `${pkg}: ${json.numPassedTests} passed, ${json.numFailedTests} failed, ${json.numPendingTests + json.numTodoTests} skipped`,
  );
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  skipped += json.numPendingTests + json.numTodoTests;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exitCode = 1;
