import { describe, expect, it } from 'vitest';
import { topologicalOrder } from '../../src/review/offline-plan.js';
import { summarisePlan } from '../../src/review/plan-summary.js';
import { seededState } from '../../src/review/remote-state-seed.js';

const ctx = { accountId: '123456789012', region: 'ap-southeast-1' };
const types = {
  aws_vpc: { id: 'string', cidr_block: 'string' },
  aws_kms_key: { arn: 'string', key_id: 'string' },
  aws_s3_bucket: { bucket: 'string', arn: 'string' },
  aws_lb: { subnets: ['set', 'string'] },
};

describe('remote state seeding', () => {
  it('derives type-correct values: EC2 ids, service ARNs, literals, lists', () => {
    const stack = {
      resource: { aws_s3_bucket: { b: { bucket: 'bandup-dev-media-123456789012' } } },
      output: {
        vpc: { value: '${aws_vpc.vpc.id}' },
        key: { value: '${aws_kms_key.k_1A2B3C4D.arn}', sensitive: true },
        bucket: { value: '${aws_s3_bucket.b.bucket}' },
        bucketArn: { value: '${aws_s3_bucket.b.arn}' },
        subnets: { value: '${aws_lb.lb.subnets}' },
        both: { value: ['${aws_vpc.vpc.id}', '${aws_s3_bucket.b.bucket}'] },
      },
    };
    const state = seededState(stack, types, ctx);
    expect(state.version).toBe(4);
    expect(state.outputs.vpc).toEqual({
      value: expect.stringMatching(/^vpc-0[0-9a-f]{16}$/),
      type: 'string',
    });
    expect(state.outputs.key.value).toMatch(/^arn:aws:kms:ap-southeast-1:123456789012:key\/[0-9a-f-]{36}$/);
    expect(state.outputs.key.sensitive).toBe(true);
    expect(state.outputs.bucket.value).toBe('bandup-dev-media-123456789012');
    expect(state.outputs.bucketArn.value).toBe('arn:aws:s3:::bandup-dev-media-123456789012');
    expect(state.outputs.subnets.type).toEqual(['set', 'string']);
    expect(Array.isArray(state.outputs.subnets.value)).toBe(true);
    expect(state.outputs.both.type).toEqual(['tuple', ['string', 'string']]);
  });

  it('substitutes references inside interpolated strings', () => {
    const state = seededState({ output: { o: { value: '${aws_s3_bucket.b.arn}/uploads/*' } } }, types, ctx);
    expect(state.outputs.o.value).toMatch(/^arn:aws:s3:::b\/uploads\/\*$/);
  });
});

describe('plan review helpers', () => {
  it('orders producers before consumers and rejects cycles', () => {
    const deps: Record<string, string[]> = { app: ['data', 'network'], data: ['network'], network: [] };
    expect(topologicalOrder(['app', 'data', 'network'], (id) => deps[id] ?? [])).toEqual([
      'network',
      'data',
      'app',
    ]);
    expect(() => topologicalOrder(['a', 'b'], (id) => (id === 'a' ? ['b'] : ['a']))).toThrow(/cycle/);
  });

  it('summarises actions and resource types', () => {
    const rc = (type: string, actions: string[]) => ({ type, mode: 'managed', change: { actions } });
    const summary = summarisePlan({
      resource_changes: [
        rc('aws_vpc', ['create']),
        rc('aws_subnet', ['create']),
        rc('aws_subnet', ['update']),
        rc('aws_eip', ['delete']),
        rc('aws_lb', ['delete', 'create']),
        { type: 'aws_region', mode: 'data', change: { actions: ['read'] } },
      ],
    });
    expect(summary).toEqual({
      add: 2 + 1,
      change: 1,
      destroy: 2,
      replace: 1,
      resourcesByType: { aws_lb: 1, aws_subnet: 2, aws_vpc: 1 },
    });
  });
});
