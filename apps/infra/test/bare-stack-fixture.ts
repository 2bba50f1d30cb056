import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'cdktf';
import { BandupStack } from '../src/stacks/bandup-stack.js';
import type { Json } from './network-fixture.js';

export const TEST_ACCOUNT = '111111111111';
export const TEST_REGION = 'ap-southeast-1';

/** Synthesizes one bare `BandupStack` (id `bare`) holding what `build` adds; returns its cdk.tf.json. */
export function synthBareStack(build: (stack: BandupStack) => void): Json {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-bare-test-'));
  const app = new App({ outdir });
  const stack = new BandupStack(app, 'bare', {
    environment: 'test',
    name: 'bare',
    accountId: TEST_ACCOUNT,
    region: TEST_REGION,
    mode: { kind: 'deploy' },
    tags: {},
  });
  build(stack);
  app.synth();
  return JSON.parse(readFileSync(path.join(outdir, 'stacks', 'bare', 'cdk.tf.json'), 'utf8')) as Json;
}
