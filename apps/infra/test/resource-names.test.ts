import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadEnvironment } from '../src/config/load.js';
import { prod } from '../src/config/prod.js';
import { devConfig, prodConfig } from './network-fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped
type Json = Record<string, any>;

/** Name limits AWS enforces at apply time (a plan would not catch them). */
const LIMITS: [type: string, attribute: string, max: number, pattern?: RegExp][] = [
  ['aws_lb', 'name', 32, /^[A-Za-z0-9-]+$/],
  ['aws_lb_target_group', 'name', 32, /^[A-Za-z0-9-]+$/],
  ['aws_s3_bucket', 'bucket', 63, /^[a-z0-9][a-z0-9.-]+[a-z0-9]$/],
  ['aws_iam_role', 'name', 64, /^[\w+=,.@-]+$/],
  ['aws_security_group', 'name', 255],
  ['aws_sqs_queue', 'name', 80, /^[A-Za-z0-9_-]+(\.fifo)?$/],
  ['aws_lambda_function', 'function_name', 64, /^[A-Za-z0-9_-]+$/],
  ['aws_db_instance', 'identifier', 63, /^[a-z][a-z0-9-]*$/],
  ['aws_elasticache_replication_group', 'replication_group_id', 40, /^[a-z][a-z0-9-]*$/],
  ['aws_ecs_cluster', 'name', 255],
  ['aws_dynamodb_table', 'name', 255, /^[A-Za-z0-9_.-]+$/],
];

describe('generated resource names fit AWS limits', () => {
  it('for every environment, including the longest environment name (staging)', () => {
    // staging is not shipped, but is an allowed name: the longest one, so it bounds every name.
    const staging = loadEnvironment({ ...prod, name: 'staging', accountId: '333333333333' });
    const outdir = mkdtempSync(path.join(tmpdir(), 'bandup-names-'));
    buildApp({ environments: [devConfig(), prodConfig(), staging], outdir }).app.synth();
    const problems: string[] = [];
    let checked = 0;
    for (const id of readdirSync(path.join(outdir, 'stacks'))) {
      const stack = JSON.parse(readFileSync(path.join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8')) as Json;
      for (const [type, attribute, max, pattern] of LIMITS) {
        for (const [logical, r] of Object.entries<Json>(stack.resource?.[type] ?? {})) {
          const name = r[attribute];
          if (typeof name !== 'string' || name.includes('${')) continue;
          checked++;
          if (name.length > max)
            problems.push(`${id} ${type}.${logical}: ${attribute} "${name}" is longer than ${max}`);
          if (pattern && !pattern.test(name))
            problems.push(`${id} ${type}.${logical}: ${attribute} "${name}" has characters AWS refuses`);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
