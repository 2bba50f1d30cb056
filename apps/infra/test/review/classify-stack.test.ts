import { describe, expect, it } from 'vitest';
import { type ClassifyContext, classifyStack } from '../../src/review/classify-stack.js';
import { synthIndexOf } from '../../src/review/synth-index.js';
import { change, plan, rules, synthStack } from './plan-builders.js';

const DATA = 'bandup-prod-data';
const ctx = (over: Partial<ClassifyContext> = {}): ClassifyContext => ({
  environment: 'prod',
  rules,
  synth: synthIndexOf({}),
  plannedStacks: new Set([DATA]),
  ...over,
});
const db = {
  identifier: 'bandup-prod-postgres',
  engine: 'postgres',
  engine_version: '17',
  instance_class: 'db.t4g.micro',
  storage_type: 'gp3',
  deletion_protection: true,
  skip_final_snapshot: false,
  storage_encrypted: true,
  tags: null,
};

describe('classifyStack: deletes and replacements', () => {
  it('a stateful delete of a resource that left the configuration is RED with "removed from configuration"', () => {
    const old = 'aws_db_instance.postgres_instance_919E2690';
    const previousSynth = synthIndexOf({
      [DATA]: synthStack({ [old]: { path: `${DATA}/postgres/instance`, preventDestroy: true } }),
    });
    const { items } = classifyStack(
      {
        stack: DATA,
        plan: plan([
          change(old, ['delete'], db, null, { action_reason: 'delete_because_no_resource_config' }),
        ]),
      },
      ctx({ previousSynth }),
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      severity: 'RED',
      rule: 'stateful-delete',
      action: 'delete',
      cause: 'removed from configuration',
      constructPath: `${DATA}/postgres/instance (removed)`,
    });
    expect(items[0]?.guard).toContain('prevent_destroy no longer applies');
    expect(items[0]?.guard).toContain('deletion_protection = true');
  });

  it('a replace of a stateful resource names the forcing attribute', () => {
    const { items } = classifyStack(
      {
        stack: DATA,
        plan: plan([
          change(
            'aws_s3_bucket.media',
            ['delete', 'create'],
            { bucket: 'a' },
            { bucket: 'b' },
            { replace_paths: [['bucket']] },
          ),
        ]),
      },
      ctx(),
    );
    expect(items.map((i) => [i.severity, i.rule, i.action, i.cause])).toEqual([
      ['RED', 'stateful-replace', 'replace', 'bucket'],
    ]);
  });

  it('ALB replacement is RED in prod and not flagged in dev', () => {
    const p = plan([
      change('aws_lb.alb', ['create', 'delete'], { name: 'x' }, { name: 'y' }, { replace_paths: [['name']] }),
    ]);
    expect(classifyStack({ stack: 'bandup-prod-app', plan: p }, ctx()).items.map((i) => i.severity)).toEqual([
      'RED',
    ]);
    expect(classifyStack({ stack: 'bandup-dev-app', plan: p }, ctx({ environment: 'dev' })).items).toEqual(
      [],
    );
  });

  it('pairs a delete with the create of the same identity as a rename, with the moved block, and folds its bucket configuration', () => {
    const from = 'aws_s3_bucket.media_bucket_0B659CB7';
    const to = 'aws_s3_bucket.assets_bucket_11111111';
    const synth = synthIndexOf({
      [DATA]: synthStack({ [to]: { path: `${DATA}/assets/bucket`, preventDestroy: true } }),
    });
    const previousSynth = synthIndexOf({
      [DATA]: synthStack({ [from]: { path: `${DATA}/media/bucket`, preventDestroy: true } }),
    });
    const removed = { action_reason: 'delete_because_no_resource_config' };
    const { items, review } = classifyStack(
      {
        stack: DATA,
        plan: plan([
          change(from, ['delete'], { bucket: 'bandup-prod-media' }, null, removed),
          change(to, ['create'], null, { bucket: 'bandup-prod-media' }),
          change(
            'aws_s3_bucket_versioning.media_v',
            ['delete'],
            { bucket: 'bandup-prod-media' },
            null,
            removed,
          ),
          change('aws_s3_bucket_versioning.assets_v', ['create'], null, { bucket: 'bandup-prod-media' }),
        ]),
      },
      ctx({ synth, previousSynth }),
    );
    expect(items).toHaveLength(1);
    const rename = items[0];
    expect(rename).toMatchObject({
      severity: 'RED',
      rule: 'rename',
      action: 'rename',
      address: from,
      cause: 'removed from configuration',
    });
    expect(rename?.constructPath).toBe(`${DATA}/media/bucket (removed) -> ${DATA}/assets/bucket`);
    expect(rename?.summary).toContain('bucket = "bandup-prod-media"');
    expect(rename?.moved).toBe(
      [
        'moved {',
        `  from = ${from}`,
        `  to   = ${to}`,
        '}',
        'moved {',
        '  from = aws_s3_bucket_versioning.media_v',
        '  to   = aws_s3_bucket_versioning.assets_v',
        '}',
      ].join('\n'),
    );
    expect(review.counts).toEqual({ add: 2, change: 0, destroy: 2, replace: 0, move: 0 });
  });

  it('moves the configuration resources of a renamed construct with it, by construct path', () => {
    const removed = { action_reason: 'delete_because_no_resource_config' };
    const synth = synthIndexOf({
      [DATA]: synthStack({
        'aws_s3_bucket.assets_bucket': { path: `${DATA}/assets/bucket` },
        'aws_s3_bucket_policy.assets_policy': { path: `${DATA}/assets/policy` },
      }),
    });
    const previousSynth = synthIndexOf({
      [DATA]: synthStack({
        'aws_s3_bucket.media_bucket': { path: `${DATA}/media/bucket` },
        'aws_s3_bucket_policy.media_policy': { path: `${DATA}/media/policy` },
      }),
    });
    const { items } = classifyStack(
      {
        stack: DATA,
        plan: plan([
          change('aws_s3_bucket.media_bucket', ['delete'], { bucket: 'm' }, null, removed),
          change('aws_s3_bucket.assets_bucket', ['create'], null, { bucket: 'm' }),
          change('aws_s3_bucket_policy.media_policy', ['delete'], { bucket: 'm' }, null, removed),
          change(
            'aws_s3_bucket_policy.assets_policy',
            ['create'],
            null,
            { bucket: null },
            { after_unknown: { bucket: true } },
          ),
        ]),
      },
      ctx({ synth, previousSynth }),
    );
    expect(items).toHaveLength(1);
    expect(items[0]?.moved).toContain(
      'from = aws_s3_bucket_policy.media_policy\n  to   = aws_s3_bucket_policy.assets_policy',
    );
  });

  it('does not pair resources whose identity differs or is unknown', () => {
    const { items } = classifyStack(
      {
        stack: DATA,
        plan: plan([
          change('aws_dynamodb_table.a', ['delete'], { name: 'jobs' }, null),
          change('aws_dynamodb_table.b', ['create'], null, { name: 'jobs-v2' }),
          change('aws_sqs_queue.a', ['delete'], { name: 'q' }, null),
          change('aws_sqs_queue.b', ['create'], null, { name: null }, { after_unknown: { name: true } }),
        ]),
      },
      ctx(),
    );
    expect(items.map((i) => `${i.rule} ${i.address}`).sort()).toEqual([
      'stateful-delete aws_dynamodb_table.a',
      'stateful-delete aws_sqs_queue.a',
    ]);
  });

  it('deleting a guard while its bucket stays is RED; deleting it with its bucket is reported on the bucket only', () => {
    const pab = (bucket: string) =>
      change(`aws_s3_bucket_public_access_block.${bucket}`, ['delete'], { bucket }, null);
    const alone = classifyStack({ stack: DATA, plan: plan([pab('media')]) }, ctx()).items;
    expect(alone.map((i) => [i.severity, i.rule])).toEqual([['RED', 'guard-removed']]);
    expect(alone[0]?.summary).toContain('public access block of media removed');
    const together = classifyStack(
      {
        stack: DATA,
        plan: plan([pab('media'), change('aws_s3_bucket.media', ['delete'], { bucket: 'media' }, null)]),
      },
      ctx(),
    ).items;
    expect(together.map((i) => i.rule)).toEqual(['stateful-delete']);
  });

  it('an SNS topic replacement is AMBER', () => {
    const { items } = classifyStack(
      {
        stack: DATA,
        plan: plan([
          change(
            'aws_sns_topic.alarms',
            ['delete', 'create'],
            { name: 'a' },
            { name: 'b' },
            { replace_paths: [['name']] },
          ),
        ]),
      },
      ctx(),
    );
    expect(items.map((i) => [i.severity, i.rule, i.cause])).toEqual([['AMBER', 'amber-replace', 'name']]);
  });
});

describe('classifyStack: updates', () => {
  const update = (
    after: Record<string, unknown>,
    type = 'aws_db_instance',
    before: Record<string, unknown> = db,
  ) =>
    classifyStack(
      { stack: DATA, plan: plan([change(`${type}.x`, ['update'], before, { ...before, ...after })]) },
      ctx(),
    ).items;

  it('a major engine upgrade without allow_major_version_upgrade is AMBER and says AWS rejects it', () => {
    const items = update({ engine_version: '18' });
    expect(items.map((i) => [i.severity, i.rule, i.cause])).toEqual([
      ['AMBER', 'risky-update', 'engine_version'],
    ]);
    expect(items[0]?.summary).toBe(
      'engine_version 17 -> 18 without allow_major_version_upgrade: AWS rejects the apply',
    );
  });

  it('a minor engine update is not risky', () => {
    expect(update({ engine_version: '17.2' }, 'aws_db_instance', { ...db, engine_version: '17.1' })).toEqual(
      [],
    );
  });

  it('identifier, storage type and instance class changes are AMBER', () => {
    const items = update({
      identifier: 'bandup-prod-pg',
      storage_type: 'io2',
      instance_class: 'db.r7g.large',
    });
    expect(items).toHaveLength(1);
    expect(items[0]?.cause).toBe('identifier, instance_class, storage_type');
  });

  it('Valkey node type and engine changes are AMBER', () => {
    const before = {
      replication_group_id: 'bandup-prod-valkey',
      node_type: 'cache.t3.micro',
      engine: 'valkey',
      engine_version: '8.0',
      transit_encryption_enabled: true,
    };
    const items = update(
      { node_type: 'cache.t4g.small', engine: 'redis' },
      'aws_elasticache_replication_group',
      before,
    );
    expect(items.map((i) => [i.severity, i.cause])).toEqual([['AMBER', 'node_type, engine']]);
  });

  it('turning deletion protection off or skipping the final snapshot is RED', () => {
    const items = update({ deletion_protection: false, skip_final_snapshot: true });
    const red = items.find((i) => i.rule === 'guard-removed');
    expect(red?.severity).toBe('RED');
    expect(red?.cause).toBe('deletion_protection, skip_final_snapshot');
  });

  it('suspending bucket versioning is RED, enabling it is not', () => {
    const v = (status: string) => ({ bucket: 'b', versioning_configuration: [{ status, mfa_delete: null }] });
    const off = classifyStack(
      {
        stack: DATA,
        plan: plan([change('aws_s3_bucket_versioning.v', ['update'], v('Enabled'), v('Suspended'))]),
      },
      ctx(),
    ).items;
    expect(off.map((i) => i.rule)).toEqual(['guard-removed']);
    const on = classifyStack(
      {
        stack: DATA,
        plan: plan([change('aws_s3_bucket_versioning.v', ['update'], v('Suspended'), v('Enabled'))]),
      },
      ctx(),
    ).items;
    expect(on).toEqual([]);
  });

  it('public ingress on a non-public port and wildcard IAM are security regressions; 443 from anywhere is not', () => {
    const rule = (port: number) => ({
      cidr_ipv4: '0.0.0.0/0',
      cidr_ipv6: null,
      from_port: port,
      to_port: port,
      ip_protocol: 'tcp',
    });
    const items = classifyStack(
      {
        stack: 'bandup-prod-network',
        plan: plan([
          change('aws_vpc_security_group_ingress_rule.ssh', ['create'], null, rule(22)),
          change('aws_vpc_security_group_ingress_rule.https', ['create'], null, rule(443)),
          change(
            'aws_iam_role_policy.p',
            ['update'],
            {
              policy: JSON.stringify({
                Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
              }),
            },
            { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) },
          ),
          change('aws_iam_role_policy.xray', ['create'], null, {
            policy: JSON.stringify({
              Statement: [{ Effect: 'Allow', Action: 'xray:PutTraceSegments', Resource: '*' }],
            }),
          }),
        ]),
      },
      ctx(),
    ).items;
    expect(items.map((i) => [i.severity, i.rule, i.address])).toEqual([
      ['RED', 'security-regression', 'aws_vpc_security_group_ingress_rule.ssh'],
      ['RED', 'security-regression', 'aws_iam_role_policy.p'],
    ]);
    expect(items[0]?.summary).toBe('ingress from 0.0.0.0/0 port 22');
    expect(items[1]?.summary).toBe('Allow action s3:*; Allow s3:* on Resource "*"');
  });

  it('a changed data-tier security group rule is AMBER, an app-tier one is not', () => {
    const r = (port: number) => ({
      from_port: port,
      to_port: port,
      ip_protocol: 'tcp',
      referenced_security_group_id: 'sg-1',
    });
    const items = classifyStack(
      {
        stack: 'bandup-prod-network',
        plan: plan([
          change(
            'aws_vpc_security_group_ingress_rule.database-ingress-5432-from-backend',
            ['update'],
            r(5432),
            r(5433),
          ),
          change(
            'aws_vpc_security_group_ingress_rule.frontend-ingress-3000-from-alb',
            ['update'],
            r(3000),
            r(3001),
          ),
        ]),
      },
      ctx(),
    ).items;
    expect(items.map((i) => [i.severity, i.rule, i.address])).toEqual([
      ['AMBER', 'data-tier-rule', 'aws_vpc_security_group_ingress_rule.database-ingress-5432-from-backend'],
    ]);
  });
});

describe('classifyStack: outputs, GREEN folds and failed plans', () => {
  it('a changed cross-stack output is AMBER and names the consumer stacks planned in this run', () => {
    const out = 'cross-stack-output-aws_db_instancepostgres_instance_919E2690address';
    const consumer = {
      data: { terraform_remote_state: { x: {} } },
      output: {
        v: { value: `\${data.terraform_remote_state.cross-stack-reference-input-${DATA}.outputs.${out}}` },
      },
    };
    const other = {
      value: `\${data.terraform_remote_state.cross-stack-reference-input-${DATA}.outputs.${out}x}`,
    };
    const synth = synthIndexOf({
      [DATA]: {},
      'bandup-prod-app': consumer,
      'bandup-prod-monitoring': consumer,
      'bandup-prod-ai': { output: { other } },
    });
    const { items } = classifyStack(
      {
        stack: DATA,
        plan: plan([], { [out]: { actions: ['update'], before: 'a', after: null, after_unknown: true } }),
      },
      ctx({ synth, plannedStacks: new Set([DATA, 'bandup-prod-app']) }),
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      severity: 'AMBER',
      rule: 'cross-stack-output',
      staleConsumers: ['bandup-prod-app'],
    });
    expect(items[0]?.summary).toBe(
      'cross-stack output changes (known after apply); consumers planned against the old value: bandup-prod-app (also read by bandup-prod-monitoring)',
    );
  });

  it('an output created or unchanged is not a finding', () => {
    const { items } = classifyStack(
      {
        stack: DATA,
        plan: plan([], {
          'cross-stack-output-x': { actions: ['create'], before: null, after: 'a' },
          y: { actions: ['no-op'], before: 'a', after: 'a' },
        }),
      },
      ctx(),
    );
    expect(items).toEqual([]);
  });

  it('folds a release (image-only task definition replacement + its services) into one GREEN line', () => {
    const td = (tag: string, cpu = 512) => ({
      family: 'bandup-prod-frontend',
      cpu: String(cpu),
      container_definitions: JSON.stringify([
        { name: 'frontend', image: `1.dkr.ecr/bandup-prod-frontend:${tag}`, cpu: 0 },
      ]),
    });
    const release = classifyStack(
      {
        stack: 'bandup-prod-app',
        plan: plan([
          change('aws_ecs_task_definition.frontend', ['create', 'delete'], td('v1.0.0'), td('v1.1.0'), {
            replace_paths: [['container_definitions']],
          }),
          change(
            'aws_ecs_service.frontend',
            ['update'],
            { task_definition: 'arn:1', desired_count: 2 },
            { task_definition: null, desired_count: 2 },
            { after_unknown: { task_definition: true } },
          ),
        ]),
      },
      ctx(),
    ).items;
    expect(release.map((i) => [i.severity, i.rule, i.summary])).toEqual([
      [
        'GREEN',
        'release',
        'release: 1.dkr.ecr/bandup-prod-frontend:v1.0.0 -> v1.1.0 (1 task definition(s), 1 service(s) rolled)',
      ],
    ]);
    const notRelease = classifyStack(
      {
        stack: 'bandup-prod-app',
        plan: plan([
          change('aws_ecs_task_definition.frontend', ['create', 'delete'], td('v1'), td('v2', 1024), {
            replace_paths: [['cpu']],
          }),
        ]),
      },
      ctx(),
    ).items;
    expect(notRelease).toEqual([]);
  });

  it('folds Lambda code updates and tag-only updates into one GREEN line each', () => {
    const items = classifyStack(
      {
        stack: 'bandup-prod-ai',
        plan: plan([
          change(
            'aws_lambda_function.a',
            ['update'],
            { function_name: 'a', source_code_hash: '1', memory_size: 1 },
            { function_name: 'a', source_code_hash: '2', memory_size: 1 },
          ),
          change(
            'aws_lambda_function.b',
            ['update'],
            { function_name: 'b', source_code_hash: '1' },
            { function_name: 'b', source_code_hash: '2' },
          ),
          change(
            'aws_lambda_function.c',
            ['update'],
            { function_name: 'c', memory_size: 1 },
            { function_name: 'c', memory_size: 2 },
          ),
          change(
            'aws_sqs_queue.q',
            ['update'],
            { name: 'q', tags: { a: '1' } },
            { name: 'q', tags: { a: '2' } },
          ),
        ]),
      },
      ctx(),
    ).items;
    expect(items.map((i) => [i.rule, i.summary])).toEqual([
      ['lambda-code', 'Lambda code update: a, b'],
      ['tags', 'tags only: 1 resource(s)'],
    ]);
  });

  it('a prevent_destroy plan error is RED "blocked"; any other error is a plan error', () => {
    const address = 'aws_s3_bucket.media_bucket_0B659CB7';
    const synth = synthIndexOf({
      [DATA]: synthStack({ [address]: { path: `${DATA}/media/bucket`, preventDestroy: true } }),
    });
    const diagnostic = {
      severity: 'error' as const,
      summary: 'Instance cannot be destroyed',
      detail: `Resource ${address} has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed.`,
    };
    const blocked = classifyStack({ stack: DATA, diagnostics: [diagnostic] }, ctx({ synth }));
    expect(blocked.errors).toEqual([]);
    expect(blocked.review.status).toBe('failed');
    const previousSynth = synthIndexOf({
      [DATA]: { resource: { aws_s3_bucket: { media_bucket_0B659CB7: { bucket: 'bandup-prod-media' } } } },
    });
    const current = synthIndexOf({
      [DATA]: { resource: { aws_s3_bucket: { media_bucket_0B659CB7: { bucket: 'bandup-prod-media-v2' } } } },
    });
    const withCause = classifyStack(
      { stack: DATA, diagnostics: blocked.items.length ? [diagnostic] : [] },
      ctx({ synth: current, previousSynth }),
    );
    expect(withCause.items[0]?.cause).toBe('configuration changed: bucket');
    expect(blocked.items).toMatchObject([
      {
        severity: 'RED',
        rule: 'prevent-destroy',
        action: 'blocked',
        address,
        constructPath: `${DATA}/media/bucket`,
        guard: 'prevent_destroy',
      },
    ]);
    const broken = classifyStack(
      {
        stack: DATA,
        diagnostics: [
          {
            severity: 'error',
            summary: 'Invalid reference',
            detail: 'A managed resource "x" "y" has not been declared',
          },
        ],
      },
      ctx(),
    );
    expect(broken.errors).toEqual([
      `${DATA}: plan failed: Invalid reference: A managed resource "x" "y" has not been declared`,
    ]);
  });
});
