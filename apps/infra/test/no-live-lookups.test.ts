import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { selectEnvironments } from '../src/config/index.js';

describe('no live lookups at synth or plan time', () => {
  it('no stack declares a data source that calls AWS (only cross-stack terraform_remote_state)', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-lookups-'));
    buildApp({ environments: selectEnvironments(undefined), outdir }).app.synth();
    const found: string[] = [];
    const stacks = readdirSync(path.join(outdir, 'stacks'));
    for (const id of stacks) {
      const stack = JSON.parse(readFileSync(path.join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8'));
      for (const type of Object.keys(stack.data ?? {}))
        if (type !== 'terraform_remote_state') found.push(`${id}: data.${type}`);
    }
    expect(stacks.length).toBeGreaterThan(2);
    expect(found, found.join('\n')).toEqual([]);
  });
});
