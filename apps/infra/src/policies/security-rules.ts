import { ACTIONS_ONLY_ON_ANY_RESOURCE, POLICIES_WHERE_STAR_MEANS_SELF } from './iam-allow-list.js';
import { PUBLIC_LOAD_BALANCER_PORTS } from './internet-ingress.js';

/**
 * Security rules over one stack's resolved Terraform JSON. Each rule returns violations naming the
 * resource (logical id, construct path) and the rule; the Aspect turns them into synth errors.
 */

// biome-ignore lint/suspicious/noExplicitAny: resolved Terraform JSON is untyped
type Json = any;

export interface Violation {
  /** Terraform address `type.logicalId`. */
  readonly address: string;
  readonly rule: RuleId;
  readonly message: string;
}

export type RuleId =
  | 's3-encryption'
  | 's3-public-access-block'
  | 's3-tls-only'
  | 'sg-public-ingress'
  | 'log-group-retention'
  | 'log-group-kms'
  | 'iam-wildcard-action'
  | 'iam-wildcard-resource'
  | 'encryption-at-rest'
  | 'encryption-in-transit';

export interface RuleContext {
  /** Logical ids of `aws_security_group`s marked as internet-facing load balancer groups. */
  readonly loadBalancerGroups: ReadonlySet<string>;
}

type Resources = Record<string, Record<string, Json>>;

const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);

/** Resource types any rule reads (the Aspect resolves only these, to keep synth fast). */
export const CHECKED_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'aws_s3_bucket',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_public_access_block',
  'aws_security_group',
  'aws_vpc_security_group_ingress_rule',
  'aws_security_group_rule',
  'aws_cloudwatch_log_group',
  'aws_iam_role',
  'aws_sns_topic',
  'aws_sqs_queue',
  'aws_dynamodb_table',
  'aws_db_instance',
  'aws_rds_cluster',
  'aws_elasticache_replication_group',
  'aws_elasticache_cluster',
  'aws_elasticache_serverless_cache',
  // POLICY_ATTRIBUTES types (aws_s3_bucket_policy among them) are added below.
]);

/** Every violation in a stack (empty when compliant). */
export function checkStack(stack: Json, ctx: RuleContext): Violation[] {
  const resources: Resources = stack.resource ?? {};
  return [
    ...checkBuckets(resources),
    ...checkIngress(resources, ctx),
    ...checkLogGroups(resources),
    ...checkPolicies(resources),
    ...checkEncryption(resources),
  ];
}

const each = (resources: Resources, type: string) => Object.entries(resources[type] ?? {});
const references = (value: unknown, type: string, id: string) =>
  // Stryker disable next-line ConditionalExpression: RegExp.test stringifies a non-string, and no non-string Terraform value of `bucket` reads as a `${type.id.id}` reference
  typeof value === 'string' && new RegExp(`\\$\\{${type}\\.${escapeRegExp(id)}\\.(id|bucket)\\}`).test(value);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isTrue = (v: unknown) => v === true || v === 'true';
const asArray = <T>(v: T | readonly T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? [...v] : [v as T];

function checkBuckets(resources: Resources): Violation[] {
  const out: Violation[] = [];
  for (const [id] of each(resources, 'aws_s3_bucket')) {
    const address = `aws_s3_bucket.${id}`;
    const attached = (type: string) =>
      each(resources, type)
        .filter(([, r]) => references(r.bucket, 'aws_s3_bucket', id))
        .map(([, r]) => r);
    if (attached('aws_s3_bucket_server_side_encryption_configuration').length === 0) {
      out.push({
        address,
        rule: 's3-encryption',
        message: 'S3 bucket has no server-side encryption configuration',
      });
    }
    const blocks = attached('aws_s3_bucket_public_access_block');
    const fullBlock = (b: Json) =>
      ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every(
        (k) => isTrue(b[k]),
      );
    if (!blocks.some(fullBlock)) {
      out.push({
        address,
        rule: 's3-public-access-block',
        message: 'S3 bucket has no public access block with all four settings true',
      });
    }
    const tlsOnly = attached('aws_s3_bucket_policy').some((p) => denysInsecureTransport(p.policy));
    if (!tlsOnly) {
      out.push({
        address,
        rule: 's3-tls-only',
        message: 'S3 bucket has no bucket policy denying requests with aws:SecureTransport false',
      });
    }
  }
  return out;
}

function denysInsecureTransport(policy: unknown): boolean {
  const doc = parsePolicy(policy);
  return asArray<Json>(doc?.Statement).some((s) => {
    const bool = s.Condition?.Bool?.['aws:SecureTransport'];
    return s.Effect === 'Deny' && (bool === 'false' || bool === false);
  });
}

function checkIngress(resources: Resources, ctx: RuleContext): Violation[] {
  const out: Violation[] = [];
  const groupId = (ref: unknown) =>
    // Stryker disable next-line ConditionalExpression: RegExp.exec stringifies a non-string, and no non-string `security_group_id` reads as a group reference
    typeof ref === 'string' ? /\$\{aws_security_group\.([^.}]+)\.id\}/.exec(ref)?.[1] : undefined;
  const judge = (address: string, group: string | undefined, from: number, to: number, sources: string[]) => {
    const open = sources.filter((s) => ANYWHERE.has(s));
    if (open.length === 0) return;
    // Stryker disable next-line ConditionalExpression: the set holds logical ids, so has(undefined) is false anyway
    const lbGroup = group !== undefined && ctx.loadBalancerGroups.has(group);
    const publicPort = from === to && PUBLIC_LOAD_BALANCER_PORTS.has(from);
    if (lbGroup && publicPort) return;
    out.push({
      address,
      rule: 'sg-public-ingress',
      message: `ingress from ${open.join(', ')} to ports ${from}-${to}${
        lbGroup ? '' : ' of a group that is not an internet-facing load balancer group'
      }: only ports 80 and 443 of a load balancer's group may be open to the internet`,
    });
  };
  for (const [id, sg] of each(resources, 'aws_security_group')) {
    for (const rule of asArray<Json>(sg.ingress)) {
      judge(`aws_security_group.${id}`, id, Number(rule.from_port), Number(rule.to_port), [
        ...asArray<string>(rule.cidr_blocks),
        ...asArray<string>(rule.ipv6_cidr_blocks),
      ]);
    }
  }
  for (const [id, rule] of each(resources, 'aws_vpc_security_group_ingress_rule')) {
    const all = rule.ip_protocol === '-1' || rule.ip_protocol === -1;
    judge(
      `aws_vpc_security_group_ingress_rule.${id}`,
      groupId(rule.security_group_id),
      all ? 0 : Number(rule.from_port),
      all ? 65535 : Number(rule.to_port),
      // Stryker disable next-line MethodExpression,ConditionalExpression: judge only reads the sources ANYWHERE holds, which skips a missing one
      [rule.cidr_ipv4, rule.cidr_ipv6].filter((c): c is string => typeof c === 'string'),
    );
  }
  for (const [id, rule] of each(resources, 'aws_security_group_rule')) {
    if (rule.type !== 'ingress') continue;
    judge(
      `aws_security_group_rule.${id}`,
      groupId(rule.security_group_id),
      Number(rule.from_port),
      Number(rule.to_port),
      [...asArray<string>(rule.cidr_blocks), ...asArray<string>(rule.ipv6_cidr_blocks)],
    );
  }
  return out;
}

function checkLogGroups(resources: Resources): Violation[] {
  const out: Violation[] = [];
  for (const [id, group] of each(resources, 'aws_cloudwatch_log_group')) {
    const address = `aws_cloudwatch_log_group.${id}`;
    if (!(Number(group.retention_in_days) > 0)) {
      out.push({
        address,
        rule: 'log-group-retention',
        message: 'log group has no retention (logs would be kept forever)',
      });
    }
    if (!group.kms_key_id)
      out.push({ address, rule: 'log-group-kms', message: 'log group is not encrypted with a KMS key' });
  }
  return out;
}

/** Attributes holding IAM policy documents as JSON strings: identity and resource policies. */
const POLICY_ATTRIBUTES: readonly [type: string, attribute: string][] = [
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

for (const [type] of POLICY_ATTRIBUTES) (CHECKED_RESOURCE_TYPES as Set<string>).add(type);

function checkPolicies(resources: Resources): Violation[] {
  const out: Violation[] = [];
  const check = (address: string, where: string, policy: unknown) => {
    const doc = parsePolicy(policy);
    if (!doc) return;
    asArray<Json>(doc.Statement).forEach((s, i) => {
      if (s.Effect !== 'Allow') return; // Deny statements (TLS-only...) may be as broad as they like.
      const label = `statement ${s.Sid ? `"${s.Sid}"` : i}`;
      const actions = asArray<string>(s.Action);
      if (s.NotAction !== undefined) {
        out.push({
          address,
          rule: 'iam-wildcard-action',
          message: `${label} allows NotAction (everything but a list)`,
        });
      }
      // Stryker disable next-line Regex: an IAM action is `service:name` with one colon, so without `^` the pattern matches no other valid action
      const wild = actions.filter((a) => a === '*' || /^[a-z0-9-]+:\*$/i.test(a));
      if (wild.length > 0) {
        out.push({
          address,
          rule: 'iam-wildcard-action',
          message: `${label} allows ${wild.map((a) => `"${a}"`).join(', ')}: name the actions`,
        });
      }
      const resourcesOf = asArray<string>(s.Resource);
      if (resourcesOf.includes('*') && !POLICIES_WHERE_STAR_MEANS_SELF.has(where)) {
        const notAllowed = actions.filter((a) => !ACTIONS_ONLY_ON_ANY_RESOURCE.has(a));
        if (notAllowed.length > 0 || s.NotAction !== undefined) {
          out.push({
            address,
            rule: 'iam-wildcard-resource',
            message: `${label} allows ${notAllowed.join(', ') || 'NotAction'} on Resource "*": scope it to ARNs (or, for actions AWS only supports on "*", add them to policies/iam-allow-list.ts with the reason)`,
          });
        }
      }
    });
  };
  for (const [type, attribute] of POLICY_ATTRIBUTES) {
    for (const [id, r] of each(resources, type)) check(`${type}.${id}`, `${type}.${attribute}`, r[attribute]);
  }
  for (const [id, role] of each(resources, 'aws_iam_role')) {
    for (const inline of asArray<Json>(role.inline_policy)) {
      // Stryker disable next-line StringLiteral: the label only selects POLICIES_WHERE_STAR_MEANS_SELF entries, and inline role policies have none
      check(`aws_iam_role.${id}`, 'aws_iam_role.inline_policy', inline.policy);
    }
  }
  return out;
}

function checkEncryption(resources: Resources): Violation[] {
  const out: Violation[] = [];
  const atRest = (address: string, what: string) =>
    out.push({ address, rule: 'encryption-at-rest', message: `${what} is not encrypted at rest` });
  for (const [id, t] of each(resources, 'aws_sns_topic')) {
    if (!t.kms_master_key_id) atRest(`aws_sns_topic.${id}`, 'SNS topic (kms_master_key_id)');
  }
  for (const [id, q] of each(resources, 'aws_sqs_queue')) {
    if (!q.kms_master_key_id && !isTrue(q.sqs_managed_sse_enabled))
      atRest(`aws_sqs_queue.${id}`, 'SQS queue');
  }
  for (const [id, t] of each(resources, 'aws_dynamodb_table')) {
    if (!asArray<Json>(t.server_side_encryption).some((s) => isTrue(s.enabled))) {
      atRest(
        `aws_dynamodb_table.${id}`,
        'DynamoDB table (server_side_encryption with a customer managed key)',
      );
    }
  }
  for (const [id, db] of each(resources, 'aws_db_instance')) {
    if (!isTrue(db.storage_encrypted) && !db.replicate_source_db)
      atRest(`aws_db_instance.${id}`, 'RDS instance (storage_encrypted)');
  }
  for (const [id, c] of each(resources, 'aws_rds_cluster')) {
    if (!isTrue(c.storage_encrypted)) atRest(`aws_rds_cluster.${id}`, 'RDS cluster (storage_encrypted)');
  }
  for (const [id, g] of each(resources, 'aws_elasticache_replication_group')) {
    const address = `aws_elasticache_replication_group.${id}`;
    if (!isTrue(g.at_rest_encryption_enabled))
      atRest(address, 'ElastiCache replication group (at_rest_encryption_enabled)');
    if (!isTrue(g.transit_encryption_enabled)) {
      out.push({
        address,
        rule: 'encryption-in-transit',
        message: 'ElastiCache replication group has transit_encryption_enabled off',
      });
    }
  }
  for (const [id, c] of each(resources, 'aws_elasticache_cluster')) {
    // A member of a replication group inherits its encryption; a standalone cluster cannot prove it.
    if (!c.replication_group_id)
      atRest(`aws_elasticache_cluster.${id}`, 'standalone ElastiCache cluster (use a replication group)');
  }
  for (const [id, c] of each(resources, 'aws_elasticache_serverless_cache')) {
    if (!c.kms_key_id)
      atRest(`aws_elasticache_serverless_cache.${id}`, 'ElastiCache serverless cache (kms_key_id)');
  }
  return out;
}

function parsePolicy(policy: unknown): Json | undefined {
  // Stryker disable next-line ConditionalExpression,StringLiteral: a shortcut; JSON.parse rejects or reads as statement-less everything it skips
  if (typeof policy !== 'string' || !policy.trim().startsWith('{')) return undefined;
  try {
    return JSON.parse(policy);
  } catch {
    // Not a JSON document after all: it proves nothing.
  }
  return undefined;
}
