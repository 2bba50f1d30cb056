import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Seeding producer state for offline plans.
 *
 * Offline, cross-stack references become `terraform_remote_state` data sources with the local
 * backend, reading the producer stack's state file. That file does not exist (nothing was ever
 * applied), so a consumer's plan would fail on a missing output. Before planning, we therefore
 * write each producer's state file with ONLY its outputs, and synthetic but type-correct values:
 *
 * - the output's type comes from the AWS provider schema (`terraform providers schema -json`), by
 *   resource type and attribute of the expression `${aws_x.name.attr}`;
 * - where the producer's configuration sets that attribute to a literal, the literal is used
 *   (bucket names, ports, ...);
 * - otherwise a plausible value is derived: EC2-style ids (`vpc-0a1b...`), ARNs of the right
 *   service and shape (the provider validates ARNs in many arguments), host names, URLs.
 *
 * Producers never read these values (they are not refreshed: `-refresh=false`), so the seeded
 * state only changes what consumers see. It is never used outside offline plan review.
 */

// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON and cty types are untyped documents
type Json = any;

/** cty type of each attribute, by resource type (from the provider schema). */
export type AttributeTypes = Readonly<Record<string, Readonly<Record<string, Json>>>>;

export interface ProducerContext {
  readonly accountId: string;
  readonly region: string;
}

/** Compacts `terraform providers schema -json` to resource type -> attribute -> cty type. */
export function attributeTypesFromSchema(schema: Json): AttributeTypes {
  const result: Record<string, Record<string, Json>> = {};
  for (const provider of Object.values<Json>(schema.provider_schemas ?? {})) {
    for (const [type, resource] of Object.entries<Json>(provider.resource_schemas ?? {})) {
      const attrs: Record<string, Json> = {};
      for (const [name, attr] of Object.entries<Json>(resource.block?.attributes ?? {}))
        attrs[name] = attr.type;
      result[type] = attrs;
    }
  }
  return result;
}

const SINGLE_REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;
const EMBEDDED_REFERENCE = /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g;

/** The state file (format 4) holding only synthetic outputs for a producer's `cdk.tf.json`. */
export function seededState(stack: Json, types: AttributeTypes, ctx: ProducerContext): Json {
  const outputs: Record<string, { value: Json; type: Json; sensitive?: boolean }> = {};
  for (const [name, output] of Object.entries<Json>(stack.output ?? {})) {
    const { value, type } = syntheticValue(output.value, stack, types, ctx);
    outputs[name] = { value, type, ...(output.sensitive ? { sensitive: true } : {}) };
  }
  return {
    version: 4,
    terraform_version: '1.11.0',
    serial: 1,
    lineage: `offline-seed-${hex(JSON.stringify(Object.keys(outputs)), 8)}`,
    outputs,
    resources: [],
    check_results: null,
  };
}

export function writeSeededState(file: string, state: Json): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

function syntheticValue(
  expr: Json,
  stack: Json,
  types: AttributeTypes,
  ctx: ProducerContext,
): { value: Json; type: Json } {
  if (Array.isArray(expr)) {
    const items = expr.map((e) => syntheticValue(e, stack, types, ctx));
    return { value: items.map((i) => i.value), type: ['tuple', items.map((i) => i.type)] };
  }
  if (expr !== null && typeof expr === 'object') {
    const entries = Object.entries<Json>(expr).map(
      ([k, v]) => [k, syntheticValue(v, stack, types, ctx)] as const,
    );
    return {
      value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])),
      type: ['object', Object.fromEntries(entries.map(([k, v]) => [k, v.type]))],
    };
  }
  if (typeof expr === 'number') return { value: expr, type: 'number' };
  if (typeof expr === 'boolean') return { value: expr, type: 'bool' };
  if (typeof expr !== 'string') return { value: null, type: 'string' };

  const single = SINGLE_REFERENCE.exec(expr);
  if (single) {
    const [, type, name, attr] = single as unknown as [string, string, string, string];
    const ctyType = types[type]?.[attr] ?? 'string';
    return { value: valueOfType(ctyType, type, name, attr, stack, ctx), type: ctyType };
  }
  // Interpolated strings (`arn:...:${aws_x.y.arn}/*`): substitute each reference by a string.
  const value = expr.replace(EMBEDDED_REFERENCE, (_m, type: string, name: string, attr: string) =>
    String(stringFor(type, name, attr, stack, ctx)),
  );
  return { value: value.includes('${') ? `offline-${hex(expr, 12)}` : value, type: 'string' };
}

function valueOfType(
  ctyType: Json,
  type: string,
  name: string,
  attr: string,
  stack: Json,
  ctx: ProducerContext,
): Json {
  if (ctyType === 'string') return stringFor(type, name, attr, stack, ctx);
  if (ctyType === 'number') {
    const literal = stack.resource?.[type]?.[name]?.[attr];
    return typeof literal === 'number' ? literal : attr.includes('port') ? 443 : 1;
  }
  if (ctyType === 'bool') return false;
  if (Array.isArray(ctyType)) {
    const [kind, inner] = ctyType as [string, Json];
    if (kind === 'list' || kind === 'set') {
      const literal = stack.resource?.[type]?.[name]?.[attr];
      if (Array.isArray(literal) && literal.every((v) => typeof v === 'string' && !v.includes('${')))
        return literal;
      return [valueOfType(inner, type, name, attr.replace(/s$/, ''), stack, ctx)];
    }
    if (kind === 'map') return {};
    if (kind === 'object') {
      return Object.fromEntries(
        Object.entries<Json>(inner).map(([k, t]) => [k, valueOfType(t, type, name, k, stack, ctx)]),
      );
    }
  }
  return null;
}

/** Resource types whose `id` is an EC2-style `<prefix>-<17 hex>`. */
const EC2_ID_PREFIX: Record<string, string> = {
  aws_vpc: 'vpc',
  aws_subnet: 'subnet',
  aws_security_group: 'sg',
  aws_route_table: 'rtb',
  aws_internet_gateway: 'igw',
  aws_nat_gateway: 'nat',
  aws_vpc_endpoint: 'vpce',
  aws_eip: 'eipalloc',
  aws_network_interface: 'eni',
  aws_vpc_security_group_ingress_rule: 'sgr',
  aws_vpc_security_group_egress_rule: 'sgr',
};

/** Resource types whose `id` is their ARN. */
const ID_IS_ARN = new Set([
  'aws_lb',
  'aws_lb_target_group',
  'aws_lb_listener',
  'aws_sns_topic',
  'aws_secretsmanager_secret',
  'aws_acm_certificate',
  'aws_wafv2_web_acl',
  'aws_ecs_cluster',
  'aws_ecs_service',
]);

export function stringFor(
  type: string,
  name: string,
  attr: string,
  stack: Json,
  ctx: ProducerContext,
): string {
  const config = stack.resource?.[type]?.[name] ?? {};
  const literal = config[attr];
  if ((typeof literal === 'string' && !literal.includes('${')) || typeof literal === 'number')
    return String(literal);
  const resourceName = literalName(config) ?? name.replace(/_[0-9A-F]{8}$/, '').toLowerCase();

  if (attr === 'arn' || attr.endsWith('_arn')) return arnFor(type, resourceName, attr, ctx);
  // Load balancers and target groups: the ARN's resource part (`app/<name>/<id>`), which
  // CloudWatch dimensions use.
  if (attr === 'arn_suffix')
    return arnFor(type, resourceName, 'arn', ctx).replace(
      /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(loadbalancer\/)?/,
      '',
    );
  if (attr === 'id') {
    const prefix = EC2_ID_PREFIX[type];
    if (prefix) return `${prefix}-0${hex(`${type}.${name}`, 16)}`;
    if (ID_IS_ARN.has(type)) return arnFor(type, resourceName, 'arn', ctx);
    if (type === 'aws_kms_key') return uuid(`${type}.${name}`);
    if (type === 'aws_sqs_queue')
      return `https://sqs.${ctx.region}.amazonaws.com/${ctx.accountId}/${resourceName}`;
    if (type === 'aws_api_gateway_rest_api') return hex(`${type}.${name}`, 10);
    return resourceName;
  }
  if (attr === 'key_id') return uuid(`${type}.${name}`);
  if (attr.endsWith('url') || attr === 'invoke_url')
    return `https://${hex(name, 10)}.offline.example.com/${resourceName}`;
  if (attr.includes('endpoint') || attr.includes('address') || attr.includes('dns_name') || attr === 'fqdn') {
    return `${resourceName}.${hex(name, 6)}.offline.internal`;
  }
  if (attr === 'zone_id') return `Z${hex(name, 13).toUpperCase()}`;
  if (attr === 'cidr_block') return '10.0.0.0/16';
  if (attr === 'name' || attr === 'bucket' || attr.endsWith('_name')) return resourceName;
  if (attr === 'root_resource_id' || attr.endsWith('_id')) return hex(`${type}.${name}.${attr}`, 10);
  return `offline-${resourceName}-${attr}`;
}

function literalName(config: Json): string | undefined {
  for (const key of [
    'name',
    'bucket',
    'identifier',
    'replication_group_id',
    'function_name',
    'cluster_name',
  ]) {
    const v = config[key];
    if (typeof v === 'string' && !v.includes('${')) return v;
  }
  return undefined;
}

/** ARNs in the shape each service uses (the provider validates ARN arguments). */
function arnFor(type: string, name: string, attr: string, ctx: ProducerContext): string {
  const { region: r, accountId: a } = ctx;
  const id = hex(`${type}.${name}.${attr}`, 16);
  switch (type) {
    case 'aws_iam_role':
      return `arn:aws:iam::${a}:role/${name}`;
    case 'aws_iam_policy':
      return `arn:aws:iam::${a}:policy/${name}`;
    case 'aws_s3_bucket':
      return `arn:aws:s3:::${name}`;
    case 'aws_kms_key':
      return `arn:aws:kms:${r}:${a}:key/${uuid(name)}`;
    case 'aws_kms_alias':
      return `arn:aws:kms:${r}:${a}:${name}`;
    case 'aws_sns_topic':
      return `arn:aws:sns:${r}:${a}:${name}`;
    case 'aws_sqs_queue':
      return `arn:aws:sqs:${r}:${a}:${name}`;
    case 'aws_secretsmanager_secret':
      return `arn:aws:secretsmanager:${r}:${a}:secret:${name}-${id.slice(0, 6)}`;
    case 'aws_cloudwatch_log_group':
      return `arn:aws:logs:${r}:${a}:log-group:${name}`;
    case 'aws_lambda_function':
      return `arn:aws:lambda:${r}:${a}:function:${name}`;
    case 'aws_dynamodb_table':
      return attr === 'stream_arn'
        ? `arn:aws:dynamodb:${r}:${a}:table/${name}/stream/2026-01-01T00:00:00.000`
        : `arn:aws:dynamodb:${r}:${a}:table/${name}`;
    case 'aws_lb':
      return `arn:aws:elasticloadbalancing:${r}:${a}:loadbalancer/app/${name.slice(0, 32)}/${id}`;
    case 'aws_lb_target_group':
      return `arn:aws:elasticloadbalancing:${r}:${a}:targetgroup/${name.slice(0, 32)}/${id}`;
    case 'aws_db_instance':
      return `arn:aws:rds:${r}:${a}:db:${name}`;
    case 'aws_elasticache_replication_group':
      return `arn:aws:elasticache:${r}:${a}:replicationgroup:${name}`;
    case 'aws_api_gateway_rest_api':
      return attr === 'execution_arn'
        ? `arn:aws:execute-api:${r}:${a}:${id.slice(0, 10)}`
        : `arn:aws:apigateway:${r}::/restapis/${id.slice(0, 10)}`;
    case 'aws_api_gateway_stage':
      return attr === 'execution_arn'
        ? `arn:aws:execute-api:${r}:${a}:${id.slice(0, 10)}/${name}`
        : `arn:aws:apigateway:${r}::/restapis/${id.slice(0, 10)}/stages/${name}`;
    case 'aws_acm_certificate':
      return `arn:aws:acm:${r}:${a}:certificate/${uuid(name)}`;
    case 'aws_wafv2_web_acl':
      return `arn:aws:wafv2:${r}:${a}:regional/webacl/${name}/${uuid(name)}`;
    case 'aws_ecr_repository':
      return `arn:aws:ecr:${r}:${a}:repository/${name}`;
    default: {
      // EC2 resources: arn:aws:ec2:<region>:<account>:<kind>/<EC2-style id>.
      const prefix = EC2_ID_PREFIX[type];
      if (prefix)
        return `arn:aws:ec2:${r}:${a}:${type.replace(/^aws_/, '').replace(/_/g, '-')}/${prefix}-0${hex(`${type}.${name}`, 16)}`;
      // Generic shape arn:aws:<service>:<region>:<account>:<kind>/<name>: accepted by the provider's ARN check.
      const [service, ...kind] = type.replace(/^aws_/, '').split('_');
      return `arn:aws:${service}:${r}:${a}:${kind.join('-') || 'resource'}/${name}`;
    }
  }
}

function hex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
