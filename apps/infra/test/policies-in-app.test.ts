import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import type { NetworkStack } from '../src/stacks/network/network-stack.js';
import { devConfig } from './network-fixture.js';

/*
 * The policies wired into the real app (a whole environment's synth: seconds, so kept apart from
 * the policy rule tests that mutation testing re-runs for every mutant).
 */

describe('policies in the real app', () => {
  it('buildApp applies them to every stack: a violation added to the network stack fails the synth', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-policy-app-'));
    const { app, environments } = buildApp({ environments: [devConfig()], outdir });
    const network = environments[0]?.network as NetworkStack;
    new CloudwatchLogGroup(network, 'unencrypted', { name: 'x', retentionInDays: 1 });
    expect(() => app.synth()).toThrow(/\[bandup-dev-network\/unencrypted\] log-group-kms/);
  });
});
