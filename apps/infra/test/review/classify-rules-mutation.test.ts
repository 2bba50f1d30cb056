import { describe, expect, it } from 'vitest';
import {
  type ClassifyContext,
  causeOf,
  classifyStack,
  stackReview,
} from '../../src/review/classify-stack.js';
import type { ResourceChange } from '../../src/review/plan-json.js';
import { synthIndexOf } from '../../src/review/synth-index.js';
import { change, plan, rules, synthStack } from './plan-builders.js';

/*
 * The classification rules one at a time, each with the smallest plan that shows it: why a change is
 * RED, AMBER or not a finding, and what the review says about it (cause, summary, counts), so that a
 * reviewer approving an apply reads the truth.
 */

const PROD_DATA = 'bandup-prod-data';
const ctx = (over: Partial<ClassifyContext> = {}): ClassifyContext => ({
  environment: 'prod',
  rules,
  synth: synthIndexOf({}),
  plannedStacks: new Set([PROD_DATA]),
  ...over,
});
const classify = (stack: string, changes: ResourceChange[], over: Partial<ClassifyContext> = {}) =>
  classifyStack({ stack, plan: plan(changes) }, ctx(over));
const findings = (stack: string, changes: ResourceChange[], over: Partial<ClassifyContext> = {}) =>
  classify(stack, changes, over).items.filter((i) => i.severity !== 'GREEN');

describe('why a resource is destroyed, as the review states it', () => {
  const withReason = (action_reason: string, extra: Partial<ResourceChange> = {}) => ({
    ...change('aws_sqs_queue.q', ['delete'], { name: 'q' }, null, { action_reason }),
    ...extra,
  });

  it('names each reason Terraform gives', () => {
    expect(causeOf(withReason('delete_because_no_resource_config'))).toBe('removed from configuration');
    expect(causeOf(withReason('delete_because_no_module'))).toBe('module removed from configuration');
    expect(causeOf(withReason('replace_because_tainted'))).toBe('tainted');
    expect(causeOf(withReason('replace_by_request'))).toBe('replacement requested (-replace)');
    expect(causeOf(withReason('replace_by_triggers'))).toBe('replace_triggered_by');
  });

  it('a count or for_each instance that went away is named by its index or key', () => {
    expect(causeOf(withReason('delete_because_count_index', { index: 2 }))).toBe(
      'instance 2 no longer in count/for_each',
    );
    expect(causeOf(withReason('delete_because_each_key', { index: 'a' }))).toBe(
      'instance a no longer in count/for_each',
    );
    expect(causeOf(withReason('delete_because_wrong_repetition'))).toBe(
      'instance no longer in count/for_each',
    );
  });

  it('a forced replacement names its attributes once each, without list indexes', () => {
    const rc = change(
      'aws_sqs_queue.q',
      ['delete', 'create'],
      { name: 'a' },
      { name: 'b' },
      {
        replace_paths: [['name'], ['redrive_policy', 0, 'arn'] as unknown as string[], ['name']],
      },
    );
    expect(causeOf(rc)).toBe('name, redrive_policy.arn');
  });

  it('without a reason or paths, a delete is a removal and a replacement is "forced"', () => {
    expect(causeOf(change('aws_sqs_queue.q', ['delete'], { name: 'q' }, null))).toBe(
      'removed from configuration',
    );
    expect(causeOf(change('aws_sqs_queue.q', ['delete', 'create'], { name: 'q' }, { name: 'q' }))).toBe(
      'replacement forced',
    );
  });
});

describe('deletes of resources that hold nothing', () => {
  it('a topic destroyed or replaced is AMBER, saying which', () => {
    const destroyed = findings(PROD_DATA, [change('aws_sns_topic.t', ['delete'], { name: 't' }, null)]);
    expect(destroyed.map((i) => [i.severity, i.rule, i.summary])).toEqual([
      ['AMBER', 'amber-replace', 'destroyed (removed from configuration): subscriptions are lost'],
    ]);
    const replaced = findings(PROD_DATA, [
      change(
        'aws_sns_topic.t',
        ['delete', 'create'],
        { name: 't' },
        { name: 'u' },
        { replace_paths: [['name']] },
      ),
    ]);
    expect(replaced.map((i) => i.summary)).toEqual(['replaced (name): subscriptions are lost']);
  });

  it('a stateless resource destroyed is not a finding', () => {
    expect(findings(PROD_DATA, [change('aws_iam_role_policy.p', ['delete'], { name: 'p' }, null)])).toEqual(
      [],
    );
  });

  it('a stateful delete says it destroys data; a stateful replacement says it re-creates', () => {
    const [deleted] = findings(PROD_DATA, [change('aws_dynamodb_table.t', ['delete'], { name: 't' }, null)]);
    expect(deleted?.summary).toBe(
      'destroyed (removed from configuration): aws_dynamodb_table holds data or identity',
    );
    const [replaced] = findings(PROD_DATA, [
      change(
        'aws_dynamodb_table.t',
        ['delete', 'create'],
        { name: 't' },
        { name: 'u' },
        { replace_paths: [['name']] },
      ),
    ]);
    expect(replaced?.summary).toBe(
      'destroyed and re-created (name): aws_dynamodb_table holds data or identity',
    );
    expect(replaced?.nextStep).toBe(rules.nextSteps['stateful-replace']);
  });

  it('a load balancer is stateful in prod only; the stack name decides the environment, not the run', () => {
    const lb = [change('aws_lb.alb', ['delete'], { name: 'alb' }, null)];
    expect(findings('bandup-prod-app', lb, { environment: 'dev' }).map((i) => i.rule)).toEqual([
      'stateful-delete',
    ]);
    expect(findings('bandup-dev-app', lb, { environment: 'prod' })).toEqual([]);
  });

  it('a guard deleted while its bucket stays is RED and names the bucket', () => {
    const [v] = findings(PROD_DATA, [
      change('aws_s3_bucket_versioning.v', ['delete'], { bucket: 'bandup-prod-media' }, null),
    ]);
    expect(v).toMatchObject({ severity: 'RED', rule: 'guard-removed', action: 'delete' });
    expect(v?.summary).toBe('versioning of bandup-prod-media removed; the aws_s3_bucket stays');
  });
});

describe('renames', () => {
  it('a renamed stateless resource is AMBER (it is re-created empty), a stateful one RED', () => {
    const rename = (type: string) => [
      change(`${type}.old`, ['delete'], { name: 'bandup-x' }, null),
      change(`${type}.new`, ['create'], null, { name: 'bandup-x' }),
    ];
    expect(findings(PROD_DATA, rename('aws_iam_role')).map((i) => [i.severity, i.rule])).toEqual([
      ['AMBER', 'rename'],
    ]);
    expect(findings(PROD_DATA, rename('aws_sqs_queue')).map((i) => [i.severity, i.rule])).toEqual([
      ['RED', 'rename'],
    ]);
  });

  it('a renamed guard resource is RED even though it holds no data', () => {
    const items = findings(PROD_DATA, [
      change('aws_s3_bucket_policy.old', ['delete'], { bucket: 'bandup-prod-media' }, null),
      change('aws_s3_bucket_policy.new', ['create'], null, { bucket: 'bandup-prod-media' }),
    ]);
    expect(items.map((i) => [i.severity, i.rule])).toEqual([['RED', 'rename']]);
    expect(items[0]?.summary).not.toMatch(/and \d+ resource/);
  });

  it('the stateful resource leads a group of renames, and the others are counted', () => {
    const items = findings(PROD_DATA, [
      change('aws_s3_bucket_policy.old', ['delete'], { bucket: 'bandup-prod-media' }, null),
      change('aws_s3_bucket_policy.new', ['create'], null, { bucket: 'bandup-prod-media' }),
      change('aws_s3_bucket.old', ['delete'], { bucket: 'bandup-prod-media' }, null),
      change('aws_s3_bucket.new', ['create'], null, { bucket: 'bandup-prod-media' }),
    ]);
    expect(items).toHaveLength(1);
    expect(items[0]?.address).toBe('aws_s3_bucket.old');
    expect(items[0]?.summary).toMatch(
      /^renamed to aws_s3_bucket\.new \(.*\) \(and 1 resource\(s\) of the same construct\)/,
    );
  });
});

describe('in-place updates', () => {
  const dbUpdate = (before: object, after: object, extra = {}) =>
    change(
      'aws_db_instance.db',
      ['update'],
      { identifier: 'd', ...before },
      { identifier: 'd', ...after },
      extra,
    );

  it('a major engine upgrade AWS allows is AMBER for its downtime', () => {
    const [v] = findings(PROD_DATA, [
      dbUpdate({ engine_version: '16.4' }, { engine_version: '17.1', allow_major_version_upgrade: true }),
    ]);
    expect(v?.rule).toBe('risky-update');
    expect(v?.summary).toContain('engine_version 16.4 -> 17.1 (major upgrade: downtime, no downgrade)');
  });

  it('a major upgrade of a cache says downtime, not that AWS rejects it', () => {
    const [v] = findings(PROD_DATA, [
      change(
        'aws_elasticache_replication_group.c',
        ['update'],
        { replication_group_id: 'c', engine_version: '7.2' },
        { replication_group_id: 'c', engine_version: '8.0' },
      ),
    ]);
    expect(v?.summary).toBe('engine_version 7.2 -> 8.0 (major upgrade: downtime, no downgrade)');
  });

  it('a version known only after apply is not judged a major upgrade', () => {
    expect(
      findings(PROD_DATA, [
        dbUpdate({ engine_version: '16.4' }, {}, { after_unknown: { engine_version: true } }),
      ]),
    ).toEqual([]);
  });

  it('numeric versions are compared whole', () => {
    const [v] = findings(PROD_DATA, [dbUpdate({ engine_version: 16 }, { engine_version: 17 })]);
    expect(v?.summary).toContain('engine_version 16 -> 17 without allow_major_version_upgrade');
  });

  it('a risky attribute known only after apply says so; several are listed together', () => {
    const [v] = findings(PROD_DATA, [
      dbUpdate(
        { instance_class: 'db.t4g.micro', storage_type: 'gp2' },
        { storage_type: 'gp3' },
        { after_unknown: { instance_class: true } },
      ),
    ]);
    expect(v).toMatchObject({ severity: 'AMBER', cause: 'instance_class, storage_type' });
    expect(v?.summary).toBe('instance_class db.t4g.micro -> (known after apply); storage_type gp2 -> gp3');
  });

  it('long values are shortened in the summary, and a missing one reads null', () => {
    const long = 'x'.repeat(80);
    const [v] = findings(PROD_DATA, [
      dbUpdate({ parameter_group_name: long }, { parameter_group_name: null }),
    ]);
    expect(v?.summary).toBe(`parameter_group_name ${'x'.repeat(57)}... -> null`);
  });

  it('a guard turned off names the attribute and both values', () => {
    const [v] = findings(PROD_DATA, [
      dbUpdate({ deletion_protection: true }, { deletion_protection: false }),
    ]);
    expect(v).toMatchObject({ severity: 'RED', rule: 'guard-removed', cause: 'deletion_protection' });
    expect(v?.summary).toBe('guard turned off: deletion protection (deletion_protection true -> false)');
  });

  it('security regressions on a replacement are RED and each attribute is named once', () => {
    const open = (port: number) => ({
      security_group_id: 'sg-1',
      ip_protocol: 'tcp',
      from_port: port,
      to_port: port,
      cidr_ipv4: '0.0.0.0/0',
    });
    const items = findings('bandup-prod-app', [
      change(
        'aws_vpc_security_group_ingress_rule.r',
        ['delete', 'create'],
        { ...open(22), cidr_ipv4: '10.0.0.0/8' },
        open(22),
        {
          replace_paths: [['cidr_ipv4']],
        },
      ),
    ]);
    const v = items.find((i) => i.rule === 'security-regression');
    expect(v).toMatchObject({ severity: 'RED', action: 'replace' });
    expect(v?.cause.split(', ')).toEqual([...new Set(v?.cause.split(', '))]);
  });
});

describe('data-tier security group rules', () => {
  const rule = 'aws_vpc_security_group_ingress_rule.database-ingress-from-app';
  const value = {
    security_group_id: 'sg-db',
    from_port: 5432,
    to_port: 5432,
    referenced_security_group_id: 'sg-app',
  };

  it('a rule added to a stack that already exists is AMBER; in a first apply (no prior state) it is not', () => {
    const existing = change('aws_db_instance.db', ['no-op'], { identifier: 'd' }, { identifier: 'd' });
    const added = change(rule, ['create'], null, value);
    expect(findings(PROD_DATA, [existing, added]).map((i) => [i.rule, i.summary])).toEqual([
      ['data-tier-rule', 'data-tier security group rule added'],
    ]);
    expect(findings(PROD_DATA, [added])).toEqual([]);
  });

  it('a changed rule names the changed attributes; a removed one its cause', () => {
    const [changed] = findings(PROD_DATA, [change(rule, ['update'], value, { ...value, to_port: 5433 })]);
    expect(changed).toMatchObject({ cause: 'to_port', summary: 'data-tier security group rule changed' });
    const [removed] = findings(PROD_DATA, [change(rule, ['delete'], value, null)]);
    expect(removed).toMatchObject({
      cause: 'removed from configuration',
      summary: 'data-tier security group rule removed',
    });
  });

  it('a rule matched by its construct path counts too; an app-tier rule does not', () => {
    const synth = synthIndexOf({
      [PROD_DATA]: synthStack({ 'aws_security_group_rule.r': { path: `${PROD_DATA}/network/app-to-cache` } }),
    });
    expect(
      findings(
        PROD_DATA,
        [change('aws_security_group_rule.r', ['update'], { type: 'ingress' }, { type: 'egress' })],
        {
          synth,
        },
      ).map((i) => i.rule),
    ).toEqual(['data-tier-rule']);
    expect(
      findings(PROD_DATA, [
        change('aws_security_group_rule.x', ['update'], { type: 'ingress' }, { type: 'egress' }),
      ]),
    ).toEqual([]);
  });

  it('a rule that is only read, moved or unchanged is not a finding', () => {
    expect(
      findings(PROD_DATA, [
        change(rule, ['no-op'], value, value),
        change('aws_vpc_security_group_ingress_rule.cache-ingress-x', ['no-op'], value, value, {
          previous_address: 'aws_vpc_security_group_ingress_rule.cache-ingress-y',
        }),
      ]),
    ).toEqual([]);
  });
});

describe('cross-stack outputs', () => {
  const producer = 'bandup-prod-network';
  const consumerDoc = (output: string) => ({
    data: {
      terraform_remote_state: {
        [`cross-stack-reference-input-${producer}`]: {},
      },
    },
    output: {
      x: {
        value: `\${data.terraform_remote_state.cross-stack-reference-input-${producer}.outputs.${output}}`,
      },
    },
  });
  const synth = synthIndexOf({
    [producer]: {},
    'bandup-prod-app': consumerDoc('vpc_id'),
    'bandup-prod-data': consumerDoc('vpc_id'),
  });
  const outputs = (oc: object) =>
    classifyStack(
      {
        stack: producer,
        plan: plan([], { vpc_id: { actions: ['update'], before: 'vpc-1', after: 'vpc-2', ...oc } }),
      },
      ctx({ synth, plannedStacks: new Set(['bandup-prod-app']) }),
    ).items;

  it('names the consumers planned against the old value and those read outside this run', () => {
    expect(outputs({})[0]?.summary).toBe(
      'cross-stack output changes vpc-1 -> vpc-2; consumers planned against the old value: bandup-prod-app (also read by bandup-prod-data)',
    );
  });

  it('hides a sensitive value and says when the new one is only known after apply', () => {
    expect(outputs({ after_sensitive: true })[0]?.summary).toMatch(
      /^cross-stack output changes \(sensitive value\);/,
    );
    expect(outputs({ before_sensitive: true })[0]?.summary).toMatch(
      /^cross-stack output changes \(sensitive value\);/,
    );
    expect(outputs({ after_unknown: true })[0]?.summary).toMatch(
      /^cross-stack output changes \(known after apply\);/,
    );
  });

  it('a removed output is reported as removed from configuration', () => {
    const [v] = outputs({ actions: ['delete'], after: null });
    expect(v).toMatchObject({
      cause: 'removed from configuration',
      severity: 'AMBER',
      staleConsumers: ['bandup-prod-app'],
    });
    expect(v?.summary).toMatch(/^cross-stack output removed;/);
  });

  it('when no consumer is planned in this run, it says so', () => {
    const items = classifyStack(
      { stack: producer, plan: plan([], { vpc_id: { actions: ['update'], before: 'a', after: 'b' } }) },
      ctx({ synth, plannedStacks: new Set() }),
    ).items;
    expect(items[0]?.summary).toBe(
      'cross-stack output changes a -> b; consumers planned against the old value: none in this run (also read by bandup-prod-app, bandup-prod-data)',
    );
  });

  it('a plain output nobody reads is not a finding; a cross-stack one without a reader is, saying so', () => {
    const review = (name: string) =>
      classifyStack(
        { stack: producer, plan: plan([], { [name]: { actions: ['update'], before: 'a', after: 'b' } }) },
        ctx({ synth }),
      ).items;
    expect(review('plain')).toEqual([]);
    expect(review('cross-stack-output-aws_vpc.main.id')[0]?.summary).toBe(
      'cross-stack output changes a -> b; no consumer found in the synthesized app',
    );
  });
});

describe('failed plans', () => {
  const blocked = (address: string) => ({
    severity: 'error' as const,
    summary: 'Instance cannot be destroyed',
    detail: `Resource ${address} has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed.`,
    address,
  });

  it('a plan stopped by prevent_destroy on a resource still configured names the changed configuration', () => {
    const address = 'aws_db_instance.db';
    const synth = synthIndexOf({
      [PROD_DATA]: {
        resource: {
          aws_db_instance: {
            db: {
              '//': { metadata: { path: `${PROD_DATA}/db` } },
              identifier: 'b',
              engine: 'postgres',
              tags: { a: '1' },
            },
          },
        },
      },
    });
    const previousSynth = synthIndexOf({
      [PROD_DATA]: {
        resource: {
          aws_db_instance: {
            db: {
              '//': { metadata: { path: `${PROD_DATA}/old` } },
              identifier: 'a',
              engine: 'postgres',
              kms: 'k',
            },
          },
        },
      },
    });
    const result = classifyStack(
      { stack: PROD_DATA, diagnostics: [blocked(address)] },
      ctx({ synth, previousSynth }),
    );
    expect(result.items).toHaveLength(1);
    expect(result.items[0]).toMatchObject({
      severity: 'RED',
      rule: 'prevent-destroy',
      action: 'blocked',
      constructPath: `${PROD_DATA}/db`,
      cause: 'configuration changed: identifier, kms, tags',
    });
    expect(result.items[0]?.summary).toBe(
      'plan stopped by prevent_destroy: the change destroys aws_db_instance although it is still in the configuration (a forced replacement)',
    );
    expect(result.errors).toEqual([]);
    expect(result.review).toMatchObject({
      status: 'failed',
      counts: { add: 0, change: 0, destroy: 0, replace: 0, move: 0 },
    });
  });

  it('without the previous configuration, or when it is unchanged, the cause is an attribute forcing replacement', () => {
    const address = 'aws_db_instance.db';
    const doc = { resource: { aws_db_instance: { db: { identifier: 'a' } } } };
    const synth = synthIndexOf({ [PROD_DATA]: doc });
    for (const previousSynth of [undefined, synthIndexOf({ [PROD_DATA]: doc })]) {
      const [v] = classifyStack(
        { stack: PROD_DATA, diagnostics: [blocked(address)] },
        ctx({ synth, previousSynth }),
      ).items;
      expect(v?.cause).toBe('an attribute that forces replacement');
    }
  });

  it('a blocked resource no longer configured was removed from configuration', () => {
    const [v] = classifyStack(
      { stack: PROD_DATA, diagnostics: [blocked('aws_s3_bucket.media')] },
      ctx(),
    ).items;
    expect(v).toMatchObject({
      cause: 'removed from configuration',
      constructPath: '(not in the synthesized app)',
      resourceType: 'aws_s3_bucket',
    });
    expect(v?.summary).toBe('plan stopped by prevent_destroy: the change destroys aws_s3_bucket');
  });

  it('other errors become review errors, with their detail when there is one', () => {
    const result = classifyStack(
      {
        stack: PROD_DATA,
        diagnostics: [
          { severity: 'error', summary: 'Invalid reference', detail: 'no such resource' },
          { severity: 'error', summary: 'Bad', detail: '' },
        ],
      },
      ctx(),
    );
    expect(result.errors).toEqual([
      `${PROD_DATA}: plan failed: Invalid reference: no such resource`,
      `${PROD_DATA}: plan failed: Bad`,
    ]);
    expect(result.items).toEqual([]);
  });

  it('a stack with neither a plan nor an error says the plan log holds no result', () => {
    expect(classifyStack({ stack: PROD_DATA }, ctx()).errors).toEqual([
      `${PROD_DATA}: no plan and no error diagnostics (the plan log holds no result)`,
    ]);
    expect(
      classifyStack({ stack: PROD_DATA, diagnostics: [blocked('aws_s3_bucket.b')] }, ctx()).errors,
    ).toEqual([]);
  });
});

describe('the stack summary', () => {
  it('counts each action and lists moves, and outputs that change', () => {
    const changes = [
      change('aws_sqs_queue.a', ['create'], null, { name: 'a' }),
      change('aws_sqs_queue.b', ['update'], { name: 'b' }, { name: 'b2' }),
      change('aws_sqs_queue.c', ['delete'], { name: 'c' }, null),
      change('aws_sqs_queue.d', ['delete', 'create'], { name: 'd' }, { name: 'd2' }),
      change(
        'aws_sqs_queue.e',
        ['no-op'],
        { name: 'e' },
        { name: 'e' },
        { previous_address: 'aws_sqs_queue.old' },
      ),
      change(
        'aws_sqs_queue.f',
        ['no-op'],
        { name: 'f' },
        { name: 'f' },
        { previous_address: 'aws_sqs_queue.f' },
      ),
    ];
    const review = stackReview(
      PROD_DATA,
      plan(changes, {
        kept: { actions: ['no-op'], before: 'a', after: 'a' },
        changed: { actions: ['update'], before: 'a', after: 'b' },
      }),
      changes,
    );
    expect(review.counts).toEqual({ add: 1, change: 1, destroy: 1, replace: 1, move: 1 });
    expect(review.changes).toEqual({
      create: ['aws_sqs_queue.a'],
      update: ['aws_sqs_queue.b'],
      delete: ['aws_sqs_queue.c'],
      replace: ['aws_sqs_queue.d'],
      move: ['aws_sqs_queue.old -> aws_sqs_queue.e'],
    });
    expect(review.outputChanges).toEqual(['changed']);
    expect(review.status).toBe('planned');
  });

  it('only managed resources are classified (data sources are read, never changed)', () => {
    const read = {
      ...change('aws_iam_policy_document.d', ['delete'], { json: '{}' }, null),
      mode: 'data' as const,
    };
    expect(classify(PROD_DATA, [read as ResourceChange]).items).toEqual([]);
    expect(classify(PROD_DATA, [read as ResourceChange]).review.counts.destroy).toBe(0);
  });
});

describe('what each finding carries', () => {
  it('a plan that came with errors is a failed plan, whatever it holds', () => {
    const p = plan([change('aws_dynamodb_table.t', ['delete'], { name: 't' }, null)]);
    const errored = classifyStack(
      {
        stack: PROD_DATA,
        plan: p,
        diagnostics: [{ severity: 'error', summary: 'Provider crashed', detail: '' }],
      },
      ctx(),
    );
    expect(errored.items).toEqual([]);
    expect(errored.errors).toEqual([`${PROD_DATA}: plan failed: Provider crashed`]);
    expect(errored.review.status).toBe('failed');
    const blocked = classifyStack(
      {
        stack: PROD_DATA,
        plan: p,
        diagnostics: [
          {
            severity: 'error',
            summary: 'Instance cannot be destroyed',
            detail: '',
            address: 'aws_s3_bucket.b',
          },
        ],
      },
      ctx(),
    );
    expect(blocked.items.map((i) => [i.rule, i.nextStep])).toEqual([
      ['prevent-destroy', rules.nextSteps['prevent-destroy']],
    ]);
    expect(blocked.review).toMatchObject({
      status: 'failed',
      changes: { create: [], update: [], delete: [], replace: [], move: [] },
      outputChanges: [],
    });
  });

  it('an output finding is addressed as the output, with no guard and the output next step', () => {
    const synth = synthIndexOf({
      'bandup-prod-network': {},
      'bandup-prod-app': {
        output: {
          x: {
            value:
              '${data.terraform_remote_state.cross-stack-reference-input-bandup-prod-network.outputs.vpc_id}',
          },
        },
      },
      'bandup-prod-data': {
        output: {
          x: {
            value:
              '${data.terraform_remote_state.cross-stack-reference-input-bandup-prod-network.outputs.vpc_id}',
          },
        },
      },
    });
    const [v] = classifyStack(
      {
        stack: 'bandup-prod-network',
        plan: plan([], { vpc_id: { actions: ['update'], before: 'a', after: 'b' } }),
      },
      ctx({ synth, plannedStacks: new Set(['bandup-prod-app', 'bandup-prod-data']) }),
    ).items;
    expect(v).toMatchObject({
      address: 'output.vpc_id',
      resourceType: 'output',
      action: 'output',
      cause: 'value',
      guard: 'none',
      nextStep: rules.nextSteps['cross-stack-output'],
      staleConsumers: ['bandup-prod-app', 'bandup-prod-data'],
    });
    // Every consumer is planned in this run: nothing is read outside it.
    expect(v?.summary).toBe(
      'cross-stack output changes a -> b; consumers planned against the old value: bandup-prod-app, bandup-prod-data',
    );
  });

  it('a finding on a resource without guards says "none"; one still protected in the code does not say it left', () => {
    const [topic] = findings(PROD_DATA, [change('aws_sns_topic.t', ['delete'], { name: 't' }, null)]);
    expect(topic?.guard).toBe('none');
    const address = 'aws_s3_bucket.b';
    const both = synthIndexOf({
      [PROD_DATA]: synthStack({ [address]: { path: `${PROD_DATA}/b`, preventDestroy: true } }),
    });
    const [bucket] = findings(
      PROD_DATA,
      [
        change(
          address,
          ['delete', 'create'],
          { bucket: 'x' },
          { bucket: 'y' },
          { replace_paths: [['bucket']] },
        ),
      ],
      { synth: both, previousSynth: both },
    );
    expect(bucket?.guard).not.toContain('no longer applies');
    expect(bucket?.guard).toContain('prevent_destroy');
  });

  it('lists and objects are shown as JSON, and a value of exactly 60 characters is shown whole', () => {
    const [lists] = findings(PROD_DATA, [
      change(
        'aws_db_subnet_group.g',
        ['update'],
        { name: 'g', subnet_ids: ['a'] },
        { name: 'g', subnet_ids: ['a', 'b'] },
      ),
    ]);
    expect(lists?.summary).toBe('subnet_ids ["a"] -> ["a","b"]');
    const sixty = 'y'.repeat(60);
    const [exact] = findings(PROD_DATA, [
      change(
        'aws_db_parameter_group.p',
        ['update'],
        { name: 'p', family: 'postgres16' },
        { name: 'p', family: sixty },
      ),
    ]);
    expect(exact?.summary).toBe(`family postgres16 -> ${sixty}`);
  });
});
