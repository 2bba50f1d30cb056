import { describe, expect, it } from 'vitest';
import { CHECKED_RESOURCE_TYPES, checkStack, type RuleId } from '../src/policies/security-rules.js';

/*
 * The security rules on resolved Terraform JSON (what the Aspect hands them), one rule at a time:
 * each test states what must be flagged or accepted, with the smallest stack that shows it.
 */

// biome-ignore lint/suspicious/noExplicitAny: resolved Terraform JSON is untyped
type Json = any;
type Resources = Record<string, Record<string, Json>>;

const noLb = { loadBalancerGroups: new Set<string>() };
const check = (resources: Resources, ctx = noLb) => checkStack({ resource: resources }, ctx);
const rulesOf = (resources: Resources, ctx = noLb) =>
  check(resources, ctx).map((v) => `${v.rule} ${v.address}`);
const only = (rule: RuleId, resources: Resources, ctx = noLb) =>
  check(resources, ctx).filter((v) => v.rule === rule);

const tlsDeny = (bool: unknown = 'false', effect = 'Deny') =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: effect,
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
        Condition: { Bool: { 'aws:SecureTransport': bool } },
      },
    ],
  });

/** A bucket `b` with every protection, referencing it as `ref` (`id` or `bucket`). */
const protectedBucket = (ref: 'id' | 'bucket' = 'id'): Resources => ({
  aws_s3_bucket: { b: { bucket: 'bandup-b' } },
  aws_s3_bucket_server_side_encryption_configuration: { sse: { bucket: `\${aws_s3_bucket.b.${ref}}` } },
  aws_s3_bucket_public_access_block: {
    pab: {
      bucket: `\${aws_s3_bucket.b.${ref}}`,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    },
  },
  aws_s3_bucket_policy: { tls: { bucket: `\${aws_s3_bucket.b.${ref}}`, policy: tlsDeny() } },
});

describe('S3 buckets', () => {
  it('a bucket with encryption, a full public access block and a TLS-only deny passes (by id or name)', () => {
    expect(check(protectedBucket('id'))).toEqual([]);
    expect(check(protectedBucket('bucket'))).toEqual([]);
  });

  it('protections attached to another bucket do not count for this one', () => {
    const resources = protectedBucket();
    resources.aws_s3_bucket!.other = { bucket: 'bandup-other' };
    expect(rulesOf(resources)).toEqual([
      's3-encryption aws_s3_bucket.other',
      's3-public-access-block aws_s3_bucket.other',
      's3-tls-only aws_s3_bucket.other',
    ]);
  });

  it('a bucket id that merely starts like another bucket’s id is not that bucket', () => {
    const resources = protectedBucket();
    resources.aws_s3_bucket = { bx: { bucket: 'bandup-bx' } };
    expect(rulesOf(resources)).toContain('s3-encryption aws_s3_bucket.bx');
  });

  it.each(['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'])(
    'a public access block with %s off is not a full block',
    (setting) => {
      const resources = protectedBucket();
      resources.aws_s3_bucket_public_access_block!.pab[setting] = false;
      expect(rulesOf(resources)).toEqual(['s3-public-access-block aws_s3_bucket.b']);
    },
  );

  it('settings given as the strings "true" (as Terraform JSON may hold them) count as on', () => {
    const resources = protectedBucket();
    const pab = resources.aws_s3_bucket_public_access_block!.pab;
    for (const k of [
      'block_public_acls',
      'block_public_policy',
      'ignore_public_acls',
      'restrict_public_buckets',
    ])
      pab[k] = 'true';
    expect(check(resources)).toEqual([]);
  });

  it('the TLS-only deny may state SecureTransport false as a string or a boolean', () => {
    const resources = protectedBucket();
    resources.aws_s3_bucket_policy!.tls.policy = tlsDeny(false);
    expect(check(resources)).toEqual([]);
  });

  it('an Allow conditioned on SecureTransport=false is not the TLS-only deny', () => {
    const resources = protectedBucket();
    resources.aws_s3_bucket_policy!.tls.policy = tlsDeny('false', 'Allow');
    expect(only('s3-tls-only', resources)).toHaveLength(1);
  });

  it('a Deny on SecureTransport=true (denying TLS) is not the TLS-only deny', () => {
    const resources = protectedBucket();
    resources.aws_s3_bucket_policy!.tls.policy = tlsDeny('true');
    expect(only('s3-tls-only', resources)).toHaveLength(1);
  });

  it('a bucket policy that is not a JSON document proves nothing', () => {
    const resources = protectedBucket();
    resources.aws_s3_bucket_policy!.tls.policy = '${data.aws_iam_policy_document.tls.json}';
    expect(only('s3-tls-only', resources)).toHaveLength(1);
    resources.aws_s3_bucket_policy!.tls.policy = '{ not json';
    expect(only('s3-tls-only', resources)).toHaveLength(1);
  });

  it('violations name the rule and say what is missing', () => {
    expect(check({ aws_s3_bucket: { bare: {} } })).toEqual([
      {
        address: 'aws_s3_bucket.bare',
        rule: 's3-encryption',
        message: 'S3 bucket has no server-side encryption configuration',
      },
      {
        address: 'aws_s3_bucket.bare',
        rule: 's3-public-access-block',
        message: 'S3 bucket has no public access block with all four settings true',
      },
      {
        address: 'aws_s3_bucket.bare',
        rule: 's3-tls-only',
        message: 'S3 bucket has no bucket policy denying requests with aws:SecureTransport false',
      },
    ]);
  });
});

describe('security group ingress from the internet', () => {
  const lb = { loadBalancerGroups: new Set(['alb']) };
  const rule = (from: number, to: number, extra: Json = {}) => ({
    aws_vpc_security_group_ingress_rule: {
      r: {
        security_group_id: '${aws_security_group.alb.id}',
        ip_protocol: 'tcp',
        from_port: from,
        to_port: to,
        cidr_ipv4: '0.0.0.0/0',
        ...extra,
      },
    },
  });

  it('ports 80 and 443 of an internet-facing load balancer group may be open to the internet', () => {
    expect(check(rule(80, 80), lb)).toEqual([]);
    expect(check(rule(443, 443), lb)).toEqual([]);
  });

  it('a port range starting at 80 is not "port 80", even on the load balancer group', () => {
    expect(rulesOf(rule(80, 65535), lb)).toEqual(['sg-public-ingress aws_vpc_security_group_ingress_rule.r']);
    expect(rulesOf(rule(79, 443), lb)).toEqual(['sg-public-ingress aws_vpc_security_group_ingress_rule.r']);
  });

  it('any other port on the load balancer group is flagged, and the message names the ports', () => {
    const [v] = check(rule(8080, 8080), lb);
    expect(v?.message).toBe(
      "ingress from 0.0.0.0/0 to ports 8080-8080: only ports 80 and 443 of a load balancer's group may be open to the internet",
    );
  });

  it('443 on a group that is not a load balancer group is flagged and the message says why', () => {
    const [v] = check(rule(443, 443));
    expect(v?.message).toBe(
      "ingress from 0.0.0.0/0 to ports 443-443 of a group that is not an internet-facing load balancer group: only ports 80 and 443 of a load balancer's group may be open to the internet",
    );
  });

  it('all protocols (-1) means every port, so it is flagged even on the load balancer group', () => {
    expect(rulesOf(rule(443, 443, { ip_protocol: '-1' }), lb)).toHaveLength(1);
    expect(rulesOf(rule(80, 80, { ip_protocol: -1 }), lb)).toHaveLength(1);
    expect(check(rule(443, 443, { ip_protocol: '-1' }), lb)[0]?.message).toMatch(/ports 0-65535/);
  });

  it('IPv6 ::/0 is the internet too; private ranges are not', () => {
    expect(rulesOf(rule(22, 22, { cidr_ipv4: undefined, cidr_ipv6: '::/0' }))).toHaveLength(1);
    expect(check(rule(22, 22, { cidr_ipv4: '10.0.0.0/16' }))).toEqual([]);
    expect(check(rule(22, 22, { cidr_ipv4: undefined, referenced_security_group_id: 'sg-1' }))).toEqual([]);
  });

  it('inline ingress blocks of a group are checked, with the group judged as a load balancer group', () => {
    const group = (ports: [number, number][], cidrs: Json = { cidr_blocks: ['0.0.0.0/0'] }) => ({
      aws_security_group: {
        alb: { ingress: ports.map(([from_port, to_port]) => ({ from_port, to_port, ...cidrs })) },
      },
    });
    expect(
      check(
        group([
          [443, 443],
          [80, 80],
        ]),
        lb,
      ),
    ).toEqual([]);
    expect(rulesOf(group([[22, 22]]), lb)).toEqual(['sg-public-ingress aws_security_group.alb']);
    expect(rulesOf(group([[443, 443]]))).toEqual(['sg-public-ingress aws_security_group.alb']);
    expect(rulesOf(group([[5432, 5432]], { ipv6_cidr_blocks: ['::/0'] }))).toHaveLength(1);
    expect(check(group([[5432, 5432]], { cidr_blocks: ['10.0.0.0/8'] }))).toEqual([]);
    // A single block (not a list) is read the same way.
    expect(
      rulesOf({
        aws_security_group: { g: { ingress: { from_port: 22, to_port: 22, cidr_blocks: '0.0.0.0/0' } } },
      }),
    ).toHaveLength(1);
  });

  it('aws_security_group_rule ingress is checked (with its group), egress is not', () => {
    const legacy = (type: string, from: number, extra: Json = {}) => ({
      aws_security_group_rule: {
        l: {
          type,
          security_group_id: '${aws_security_group.alb.id}',
          from_port: from,
          to_port: from,
          cidr_blocks: ['0.0.0.0/0'],
          ...extra,
        },
      },
    });
    expect(rulesOf(legacy('ingress', 22), lb)).toEqual(['sg-public-ingress aws_security_group_rule.l']);
    expect(check(legacy('ingress', 443), lb)).toEqual([]);
    expect(check(legacy('egress', 22), lb)).toEqual([]);
    expect(rulesOf(legacy('ingress', 22, { cidr_blocks: [], ipv6_cidr_blocks: ['::/0'] }), lb)).toHaveLength(
      1,
    );
  });
});

describe('log groups', () => {
  it('need a retention of at least one day and a KMS key', () => {
    expect(
      check({ aws_cloudwatch_log_group: { ok: { retention_in_days: 14, kms_key_id: 'arn:key' } } }),
    ).toEqual([]);
    expect(
      rulesOf({ aws_cloudwatch_log_group: { forever: { retention_in_days: 0, kms_key_id: 'k' } } }),
    ).toEqual(['log-group-retention aws_cloudwatch_log_group.forever']);
    expect(rulesOf({ aws_cloudwatch_log_group: { unset: { kms_key_id: 'k' } } })).toEqual([
      'log-group-retention aws_cloudwatch_log_group.unset',
    ]);
    expect(check({ aws_cloudwatch_log_group: { plain: { retention_in_days: 1 } } })).toEqual([
      {
        address: 'aws_cloudwatch_log_group.plain',
        rule: 'log-group-kms',
        message: 'log group is not encrypted with a KMS key',
      },
    ]);
    expect(check({ aws_cloudwatch_log_group: { forever: { kms_key_id: 'k' } } })[0]?.message).toBe(
      'log group has no retention (logs would be kept forever)',
    );
  });
});

describe('IAM statements', () => {
  const doc = (...statements: Json[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const identity = (...statements: Json[]) => ({ aws_iam_policy: { p: { policy: doc(...statements) } } });
  const allow = (Action: Json, Resource: Json = 'arn:aws:s3:::b/*', extra: Json = {}) => ({
    Effect: 'Allow',
    Action,
    Resource,
    ...extra,
  });

  it('Allow with NotAction (everything but a list) is flagged', () => {
    const v = only(
      'iam-wildcard-action',
      identity({ Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:x' }),
    );
    expect(v).toEqual([
      {
        address: 'aws_iam_policy.p',
        rule: 'iam-wildcard-action',
        message: 'statement 0 allows NotAction (everything but a list)',
      },
    ]);
  });

  it('Allow with NotAction on Resource "*" is flagged as a wildcard resource too', () => {
    const v = only(
      'iam-wildcard-resource',
      identity({ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' }),
    );
    expect(v).toHaveLength(1);
    expect(v[0]?.message).toMatch(/^statement 0 allows NotAction on Resource "\*"/);
  });

  it('Action "*" and whole-service wildcards are flagged, naming them; narrower patterns and named actions are not', () => {
    const v = only(
      'iam-wildcard-action',
      identity(allow(['*', 's3:*', 'dynamodb:GetItem'], 'arn:x', { Sid: 'Broad' })),
    );
    expect(v.map((x) => x.message)).toEqual(['statement "Broad" allows "*", "s3:*": name the actions']);
    expect(only('iam-wildcard-action', identity(allow('s3:Get*')))).toEqual([]);
    expect(only('iam-wildcard-action', identity(allow('s3:GetObject')))).toEqual([]);
    expect(only('iam-wildcard-action', identity(allow('S3:*')))).toHaveLength(1);
    expect(only('iam-wildcard-action', identity(allow('bedrock-runtime:*')))).toHaveLength(1);
    expect(only('iam-wildcard-action', identity(allow('xs3:*x')))).toEqual([]);
  });

  it('Resource "*" is allowed only when every action is one AWS offers only on "*"', () => {
    expect(check(identity(allow(['xray:PutTraceSegments', 'ecr:GetAuthorizationToken'], '*')))).toEqual([]);
    const v = only(
      'iam-wildcard-resource',
      identity(allow(['xray:PutTraceSegments', 's3:GetObject'], ['*'])),
    );
    expect(v).toHaveLength(1);
    expect(v[0]?.message).toMatch(/^statement 0 allows s3:GetObject on Resource "\*": scope it to ARNs/);
    expect(
      only('iam-wildcard-resource', identity(allow('s3:GetObject', ['arn:aws:s3:::b/*', '*']))),
    ).toHaveLength(1);
  });

  it('Deny statements may be as broad as they like', () => {
    expect(
      check(
        identity(
          { Effect: 'Deny', Action: '*', Resource: '*' },
          { Effect: 'Deny', NotAction: 's3:*', Resource: '*' },
        ),
      ),
    ).toEqual([]);
  });

  it('a single statement object (not a list) is checked the same way', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: allow('*') });
    expect(rulesOf({ aws_iam_role_policy: { inline: { policy } } })).toEqual([
      'iam-wildcard-action aws_iam_role_policy.inline',
    ]);
  });

  it('every kind of identity and resource policy is checked, under its own address', () => {
    const bad = doc(allow('s3:*'));
    expect(rulesOf({ aws_sqs_queue_policy: { q: { policy: bad } } })).toEqual([
      'iam-wildcard-action aws_sqs_queue_policy.q',
    ]);
    expect(rulesOf({ aws_cloudwatch_log_resource_policy: { l: { policy_document: bad } } })).toEqual([
      'iam-wildcard-action aws_cloudwatch_log_resource_policy.l',
    ]);
    expect(rulesOf({ aws_vpc_endpoint: { e: { policy: bad } } })).toEqual([
      'iam-wildcard-action aws_vpc_endpoint.e',
    ]);
  });

  it('a KMS key policy may use Resource "*" (it means this key); other resource policies may not', () => {
    const selfStar = doc(allow('kms:Decrypt', '*'));
    expect(check({ aws_kms_key: { k: { policy: selfStar } } })).toEqual([]);
    expect(rulesOf({ aws_sns_topic_policy: { t: { policy: selfStar } } })).toEqual([
      'iam-wildcard-resource aws_sns_topic_policy.t',
    ]);
  });

  it('a role’s inline_policy blocks are checked like any policy', () => {
    expect(
      rulesOf({
        aws_iam_role: {
          r: {
            inline_policy: [
              { name: 'ok', policy: doc(allow('s3:GetObject')) },
              { name: 'bad', policy: doc(allow('*', '*')) },
            ],
          },
        },
      }),
    ).toEqual(['iam-wildcard-action aws_iam_role.r', 'iam-wildcard-resource aws_iam_role.r']);
  });

  it('a policy that is not a JSON document (an unresolved reference) is skipped, not a crash', () => {
    expect(check({ aws_iam_policy: { p: { policy: '${data.aws_iam_policy_document.x.json}' } } })).toEqual(
      [],
    );
    expect(check({ aws_iam_policy: { p: { policy: '  {"Statement": ' } } })).toEqual([]);
    expect(check({ aws_iam_policy: { p: {} } })).toEqual([]);
  });
});

describe('encryption at rest and in transit', () => {
  const atRest = (resources: Resources) => only('encryption-at-rest', resources).map((v) => v.address);

  it('SNS topics need a KMS key', () => {
    expect(atRest({ aws_sns_topic: { plain: {}, enc: { kms_master_key_id: 'k' } } })).toEqual([
      'aws_sns_topic.plain',
    ]);
  });

  it('SQS queues need a KMS key or SQS-managed SSE', () => {
    expect(
      atRest({
        aws_sqs_queue: {
          plain: {},
          off: { sqs_managed_sse_enabled: false },
          sse: { sqs_managed_sse_enabled: true },
          kms: { kms_master_key_id: 'k' },
        },
      }),
    ).toEqual(['aws_sqs_queue.plain', 'aws_sqs_queue.off']);
  });

  it('DynamoDB tables need server-side encryption enabled', () => {
    expect(
      atRest({
        aws_dynamodb_table: {
          plain: {},
          off: { server_side_encryption: [{ enabled: false }] },
          on: { server_side_encryption: { enabled: true, kms_key_arn: 'k' } },
        },
      }),
    ).toEqual(['aws_dynamodb_table.plain', 'aws_dynamodb_table.off']);
  });

  it('RDS instances need storage encryption, except read replicas (they inherit the source’s)', () => {
    expect(
      atRest({
        aws_db_instance: {
          plain: {},
          enc: { storage_encrypted: true },
          replica: { replicate_source_db: 'arn:db' },
        },
      }),
    ).toEqual(['aws_db_instance.plain']);
  });

  it('RDS clusters need storage encryption', () => {
    expect(atRest({ aws_rds_cluster: { plain: {}, enc: { storage_encrypted: 'true' } } })).toEqual([
      'aws_rds_cluster.plain',
    ]);
    expect(only('encryption-at-rest', { aws_rds_cluster: { plain: {} } })[0]?.message).toBe(
      'RDS cluster (storage_encrypted) is not encrypted at rest',
    );
  });

  it('ElastiCache replication groups need encryption at rest and in transit, each flagged on its own', () => {
    const g = (at: boolean, transit: boolean) => ({
      aws_elasticache_replication_group: {
        g: { at_rest_encryption_enabled: at, transit_encryption_enabled: transit },
      },
    });
    expect(check(g(true, true))).toEqual([]);
    expect(rulesOf(g(false, true))).toEqual(['encryption-at-rest aws_elasticache_replication_group.g']);
    expect(check(g(true, false))).toEqual([
      {
        address: 'aws_elasticache_replication_group.g',
        rule: 'encryption-in-transit',
        message: 'ElastiCache replication group has transit_encryption_enabled off',
      },
    ]);
  });

  it('a standalone ElastiCache cluster is flagged; a member of a replication group is not', () => {
    expect(
      atRest({ aws_elasticache_cluster: { alone: {}, member: { replication_group_id: 'rg' } } }),
    ).toEqual(['aws_elasticache_cluster.alone']);
  });

  it('an ElastiCache serverless cache needs a KMS key', () => {
    expect(atRest({ aws_elasticache_serverless_cache: { plain: {}, enc: { kms_key_id: 'k' } } })).toEqual([
      'aws_elasticache_serverless_cache.plain',
    ]);
  });
});

describe('what the Aspect hands to the rules', () => {
  it('it resolves every resource type a rule reads (a type left out would never be checked)', () => {
    for (const type of [
      'aws_s3_bucket',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_policy',
      'aws_security_group',
      'aws_vpc_security_group_ingress_rule',
      'aws_security_group_rule',
      'aws_cloudwatch_log_group',
      'aws_iam_role',
      'aws_iam_role_policy',
      'aws_iam_policy',
      'aws_kms_key',
      'aws_sns_topic',
      'aws_sqs_queue',
      'aws_dynamodb_table',
      'aws_db_instance',
      'aws_rds_cluster',
      'aws_elasticache_replication_group',
      'aws_elasticache_cluster',
      'aws_elasticache_serverless_cache',
      'aws_cloudwatch_log_resource_policy',
      'aws_vpc_endpoint',
    ]) {
      expect(CHECKED_RESOURCE_TYPES.has(type), type).toBe(true);
    }
  });

  it('a stack without resources has no violations', () => {
    expect(checkStack({}, noLb)).toEqual([]);
  });
});

describe('rule details', () => {
  const doc = (...statements: Json[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const POLICY_KINDS: [type: string, attribute: string][] = [
    ['aws_iam_role_policy', 'policy'],
    ['aws_iam_policy', 'policy'],
    ['aws_iam_user_policy', 'policy'],
    ['aws_iam_group_policy', 'policy'],
    ['aws_s3_bucket_policy', 'policy'],
    ['aws_sqs_queue_policy', 'policy'],
    ['aws_sns_topic_policy', 'policy'],
    ['aws_kms_key', 'policy'],
    ['aws_ecr_repository_policy', 'policy'],
    ['aws_secretsmanager_secret_policy', 'policy'],
    ['aws_cloudwatch_log_resource_policy', 'policy_document'],
    ['aws_api_gateway_rest_api_policy', 'policy'],
    ['aws_api_gateway_rest_api', 'policy'],
    ['aws_cloudwatch_event_bus_policy', 'policy'],
    ['aws_vpc_endpoint', 'policy'],
  ];

  it.each(POLICY_KINDS)(
    '%s.%s is checked for wildcard actions, and resolved by the Aspect',
    (type, attribute) => {
      const found = only('iam-wildcard-action', {
        [type]: { x: { [attribute]: doc({ Effect: 'Allow', Action: '*', Resource: 'arn:x' }) } },
      });
      expect(found.map((v) => v.address)).toEqual([`${type}.x`]);
      expect(CHECKED_RESOURCE_TYPES.has(type)).toBe(true);
    },
  );

  it('statements are labelled by Sid, or by their position in the document', () => {
    const found = only('iam-wildcard-action', {
      aws_iam_policy: {
        p: {
          policy: doc(
            { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:x' },
            { Effect: 'Allow', Action: '*', Resource: 'arn:x' },
          ),
        },
      },
    });
    expect(found.map((v) => v.message)).toEqual(['statement 1 allows "*": name the actions']);
  });

  it('a policy document with leading whitespace is still read', () => {
    const policy = `\n  ${doc({ Effect: 'Allow', Action: '*', Resource: 'arn:x' })}`;
    expect(only('iam-wildcard-action', { aws_iam_policy: { p: { policy } } })).toHaveLength(1);
  });

  it('a bucket id is matched literally, not as a pattern', () => {
    const resources: Resources = {
      aws_s3_bucket: { 'b.c': {} },
      aws_s3_bucket_server_side_encryption_configuration: { sse: { bucket: '${aws_s3_bucket.bxc.id}' } },
    };
    expect(only('s3-encryption', resources).map((v) => v.address)).toEqual(['aws_s3_bucket.b.c']);
    resources.aws_s3_bucket_server_side_encryption_configuration!.sse.bucket = '${aws_s3_bucket.b.c.id}';
    expect(only('s3-encryption', resources)).toEqual([]);
  });

  it('each at-rest violation names the kind of resource and the setting to turn on', () => {
    const messages = only('encryption-at-rest', {
      aws_sns_topic: { t: {} },
      aws_sqs_queue: { q: {} },
      aws_dynamodb_table: { d: {} },
      aws_db_instance: { i: {} },
      aws_rds_cluster: { c: {} },
      aws_elasticache_replication_group: { g: { transit_encryption_enabled: true } },
      aws_elasticache_cluster: { e: {} },
      aws_elasticache_serverless_cache: { s: {} },
    }).map((v) => `${v.address}: ${v.message}`);
    expect(messages).toEqual([
      'aws_sns_topic.t: SNS topic (kms_master_key_id) is not encrypted at rest',
      'aws_sqs_queue.q: SQS queue is not encrypted at rest',
      'aws_dynamodb_table.d: DynamoDB table (server_side_encryption with a customer managed key) is not encrypted at rest',
      'aws_db_instance.i: RDS instance (storage_encrypted) is not encrypted at rest',
      'aws_rds_cluster.c: RDS cluster (storage_encrypted) is not encrypted at rest',
      'aws_elasticache_replication_group.g: ElastiCache replication group (at_rest_encryption_enabled) is not encrypted at rest',
      'aws_elasticache_cluster.e: standalone ElastiCache cluster (use a replication group) is not encrypted at rest',
      'aws_elasticache_serverless_cache.s: ElastiCache serverless cache (kms_key_id) is not encrypted at rest',
    ]);
  });

  it('a wildcard-resource violation says how to fix it', () => {
    const [v] = only('iam-wildcard-resource', {
      aws_iam_policy: { p: { policy: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) } },
    });
    expect(v?.message).toBe(
      'statement 0 allows s3:GetObject on Resource "*": scope it to ARNs (or, for actions AWS only supports on "*", add them to policies/iam-allow-list.ts with the reason)',
    );
  });
});

describe('unusual but valid input is read, not crashed on', () => {
  const doc = (...statements: Json[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

  it('a bucket policy may hold other statements (with other conditions, or none) beside the TLS-only deny', () => {
    const bucket = protectedBucket();
    const deny = JSON.parse(tlsDeny()).Statement[0];
    bucket.aws_s3_bucket_policy = {
      tls: {
        bucket: '${aws_s3_bucket.b.id}',
        policy: doc(
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::1:role/r' },
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::b/*',
          },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:PutObject',
            Resource: 'arn:aws:s3:::b/*',
            Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
          },
          deny,
        ),
      },
    };
    expect(check(bucket)).toEqual([]);
  });

  it('an ingress rule on a group given by literal id (not a reference) is judged as a non-load-balancer group', () => {
    const found = check(
      {
        aws_vpc_security_group_ingress_rule: {
          r: {
            security_group_id: 'sg-0123456789abcdef0',
            ip_protocol: 'tcp',
            from_port: 443,
            to_port: 443,
            cidr_ipv4: '0.0.0.0/0',
          },
        },
      },
      { loadBalancerGroups: new Set(['alb']) },
    );
    expect(found.map((v) => v.rule)).toEqual(['sg-public-ingress']);
    expect(found[0]?.message).toMatch(/not an internet-facing load balancer group/);
  });

  it('an ingress open to both the IPv4 and IPv6 internet names both sources', () => {
    const [v] = check({
      aws_security_group: {
        g: {
          ingress: [{ from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: ['::/0'] }],
        },
      },
    });
    expect(v?.message).toMatch(/^ingress from 0\.0\.0\.0\/0, ::\/0 to ports 22-22/);
  });

  it('a wildcard-resource violation lists every action that is not allowed on "*"', () => {
    const [v] = only('iam-wildcard-resource', {
      aws_iam_policy: {
        p: {
          policy: doc({
            Effect: 'Allow',
            Action: ['s3:GetObject', 'xray:PutTraceSegments', 's3:PutObject'],
            Resource: '*',
          }),
        },
      },
    });
    expect(v?.message).toMatch(/^statement 0 allows s3:GetObject, s3:PutObject on Resource "\*"/);
  });
});
