import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepInitialization } from '../../src/review/stack-workspace.js';

/** A synth as CDKTF does it: the output directory is replaced, stack directories written anew. */
function synthInto(outdir: string, stacks: readonly string[]): void {
  rmSync(outdir, { recursive: true, force: true });
  for (const id of stacks) {
    mkdirSync(path.join(outdir, 'stacks', id), { recursive: true });
    writeFileSync(path.join(outdir, 'stacks', id, 'cdk.tf.json'), '{}');
  }
}

describe('keepInitialization', () => {
  it("puts each stack's .terraform and lock file back after a re-synth, and nothing into new stacks", () => {
    const outdir = path.join(mkdtempSync(path.join(tmpdir(), 'keep-init-')), 'baseline');
    synthInto(outdir, ['network', 'gone']);
    for (const id of ['network', 'gone']) {
      mkdirSync(path.join(outdir, 'stacks', id, '.terraform/providers'), { recursive: true });
      writeFileSync(path.join(outdir, 'stacks', id, '.terraform/terraform.tfstate'), id);
      writeFileSync(path.join(outdir, 'stacks', id, '.terraform.lock.hcl'), `lock ${id}`);
    }
    keepInitialization(outdir, () => synthInto(outdir, ['network', 'data']));
    const stack = (id: string, file: string) => path.join(outdir, 'stacks', id, file);
    expect(readFileSync(stack('network', '.terraform/terraform.tfstate'), 'utf8')).toBe('network');
    expect(readFileSync(stack('network', '.terraform.lock.hcl'), 'utf8')).toBe('lock network');
    expect(existsSync(stack('network', 'cdk.tf.json'))).toBe(true);
    expect(existsSync(stack('data', '.terraform'))).toBe(false);
    expect(existsSync(stack('gone', '.terraform'))).toBe(false);
    expect(existsSync(`${outdir}.terraform-kept`)).toBe(false);
  });

  it('a synth that fails still cleans up and rethrows', () => {
    const outdir = path.join(mkdtempSync(path.join(tmpdir(), 'keep-init-')), 'baseline');
    synthInto(outdir, ['network']);
    mkdirSync(path.join(outdir, 'stacks/network/.terraform'));
    expect(() =>
      keepInitialization(outdir, () => {
        throw new Error('synth failed: bad config');
      }),
    ).toThrow('synth failed: bad config');
    expect(existsSync(path.join(outdir, 'stacks/network/.terraform'))).toBe(true);
    expect(existsSync(`${outdir}.terraform-kept`)).toBe(false);
  });
});
