import { allResources, resourcesOfType, type SynthesizedStack, type TfJson } from './synthesized-app.js';
import { allowedServices, referencesIn, type TerraformReference } from './terraform-references.js';

/**
 * The architecture as a graph, read from the synthesized app rather than drawn by hand: the key
 * resources of each stack, how requests and jobs flow between them (event source mappings, listener
 * rules, EventBridge targets, Lambda permissions, WAF associations, subscriptions) and what each one
 * uses (its references, its role's grants, across stacks through remote state). Everything else in a
 * stack is summarized as counts.
 */
export interface ArchitectureGraph {
  readonly stacks: readonly StackCluster[];
  readonly externals: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

interface StackCluster {
  readonly name: string;
  readonly dependencies: readonly string[];
  readonly nodes: readonly GraphNode[];
  /** "22 alarms", "8 IAM roles": what the stack holds besides its key resources. */
  readonly summary: readonly string[];
}

export interface GraphNode {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
}

/** `flow`: requests, messages or events move along it. `uses`: a reference or an IAM grant. */
interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'flow' | 'uses';
}

/** Resource types drawn as nodes, with the name people use for them. */
const KEY_RESOURCES: Readonly<Record<string, string>> = {
  aws_api_gateway_rest_api: 'API Gateway',
  aws_budgets_budget: 'Budget',
  aws_cloudfront_distribution: 'CloudFront',
  aws_cloudwatch_dashboard: 'Dashboard',
  aws_cloudwatch_event_rule: 'EventBridge rule',
  aws_codebuild_project: 'CodeBuild',
  aws_codepipeline: 'CodePipeline',
  aws_codestarconnections_connection: 'Source connection',
  aws_db_instance: 'RDS PostgreSQL',
  aws_dynamodb_table: 'DynamoDB',
  aws_ecr_repository: 'ECR',
  aws_ecs_service: 'ECS service',
  aws_elasticache_replication_group: 'ElastiCache Valkey',
  aws_lambda_function: 'Lambda',
  aws_lb: 'ALB',
  aws_lb_target_group: 'Target group',
  aws_nat_gateway: 'NAT gateway',
  aws_route53_record: 'Route 53',
  aws_s3_bucket: 'S3',
  aws_scheduler_schedule: 'Schedule',
  aws_sns_topic: 'SNS',
  aws_sqs_queue: 'SQS',
  aws_vpc: 'VPC',
  aws_wafv2_web_acl: 'WAF',
};

/** Counted in a stack's summary line. */
const SUMMARIZED: Readonly<Record<string, string>> = {
  aws_cloudwatch_log_group: 'log groups',
  aws_cloudwatch_metric_alarm: 'alarms',
  aws_iam_role: 'IAM roles',
  aws_kms_key: 'KMS keys',
  aws_secretsmanager_secret: 'secrets',
  aws_security_group: 'security groups',
  aws_subnet: 'subnets',
  aws_vpc_endpoint: 'VPC endpoints',
};

/** Resources that stand for another one: a reference to them is a reference to their owner. */
const OWNER_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_api_gateway_deployment: 'rest_api_id',
  aws_api_gateway_stage: 'rest_api_id',
  aws_lb_listener: 'load_balancer_arn',
};

/** Connectors: a resource whose `from` and `to` attributes are the two ends of a flow. */
const CONNECTORS: Readonly<Record<string, readonly [string, string]>> = {
  aws_cloudwatch_event_target: ['rule', 'arn'],
  aws_lambda_event_source_mapping: ['event_source_arn', 'function_name'],
  aws_lambda_permission: ['source_arn', 'function_name'],
  aws_lb_listener: ['load_balancer_arn', 'default_action'],
  aws_lb_listener_rule: ['listener_arn', 'action'],
  aws_pipes_pipe: ['source', 'target'],
  aws_scheduler_schedule: ['schedule_expression', 'target'],
  aws_sns_topic_subscription: ['topic_arn', 'endpoint'],
  aws_wafv2_web_acl_association: ['web_acl_arn', 'resource_arn'],
};

/** Resources that watch everything (a dashboard): their references are not dependencies worth a line. */
const OBSERVERS: ReadonlySet<string> = new Set(['aws_cloudwatch_dashboard']);

/** AWS services reached through IAM grants, and outside services reached through configuration. */
const EXTERNAL_SERVICES: Readonly<Record<string, string>> = {
  bedrock: 'Amazon Bedrock',
  transcribe: 'Amazon Transcribe',
};
const GEMINI: GraphNode = { id: 'external__gemini', kind: 'Google', name: 'Gemini API' };
const LEARNER: GraphNode = { id: 'external__learner', kind: 'Learner', name: 'browser' };

const NAME_ATTRIBUTES = [
  'function_name',
  'name',
  'bucket',
  'identifier',
  'replication_group_id',
  'comment',
] as const;

export function nodeId(stack: string, type: string, id: string): string {
  return `${stack}__${type}__${id}`.replace(/[^A-Za-z0-9_]/g, '_');
}

/** Builds the graph of the given stacks (typically one environment plus its bootstrap). */
export function buildArchitectureGraph(stacks: readonly SynthesizedStack[]): ArchitectureGraph {
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const edges = new Map<string, GraphEdge>();
  const externals = new Map<string, GraphNode>();
  const addEdge = (from: string, to: string, kind: GraphEdge['kind']): void => {
    if (from === to) return;
    const key = `${from}->${to}`;
    // A flow says more than a reference: it wins when both connect the same pair.
    if (edges.get(key)?.kind === 'flow') return;
    edges.set(key, { from, to, kind });
  };

  const resolve = (stack: SynthesizedStack, ref: TerraformReference, depth = 0): string[] => {
    if (depth > 4) return [];
    if (ref.kind === 'remote-output') {
      const producer = byName.get(ref.input.replace(/^cross-stack-reference-input-/, ''));
      const outputs = (producer?.config.output ?? {}) as Record<string, { value?: unknown }>;
      if (!producer) return [];
      return referencesIn(outputs[ref.output]?.value).flatMap((r) => resolve(producer, r, depth + 1));
    }
    if (ref.type === 'aws_vpc') return []; // everything in the VPC references it: noise, not flow
    if (KEY_RESOURCES[ref.type]) {
      return resourcesOfType(stack, ref.type)[ref.id] ? [nodeId(stack.name, ref.type, ref.id)] : [];
    }
    const owner = OWNER_ATTRIBUTE[ref.type];
    const body = resourcesOfType(stack, ref.type)[ref.id];
    if (!owner || !body) return [];
    return referencesIn(body[owner]).flatMap((r) => resolve(stack, r, depth + 1));
  };
  const resolveAll = (stack: SynthesizedStack, value: unknown): string[] =>
    [...new Set(referencesIn(value).flatMap((r) => resolve(stack, r)))].sort();

  const clusters = inDependencyOrder(stacks).map((stack) => {
    const nodes: GraphNode[] = [];
    const counts = new Map<string, number>();
    const roleUsers = new Map<string, string[]>();
    for (const [type, id, body] of allResources(stack)) {
      if (SUMMARIZED[type]) counts.set(type, (counts.get(type) ?? 0) + 1);
      // Certificate validation records are plumbing; alias records are how learners arrive.
      const kind = type === 'aws_route53_record' && !body.alias ? undefined : KEY_RESOURCES[type];
      const self = nodeId(stack.name, type, id);
      if (kind) {
        nodes.push({ id: self, kind, name: displayName(stack.name, body, id) });
        const uses = OBSERVERS.has(type) ? [] : resolveAll(stack, expandTaskDefinition(stack, type, body));
        for (const target of uses) addEdge(self, target, 'uses');
        for (const ref of referencesIn(body.role ?? body.execution_role_arn)) {
          if (ref.kind === 'resource' && ref.type === 'aws_iam_role') {
            roleUsers.set(ref.id, [...(roleUsers.get(ref.id) ?? []), self]);
          }
        }
        if (type === 'aws_lambda_function' && JSON.stringify(body.environment ?? {}).includes('GEMINI')) {
          externals.set(GEMINI.id, GEMINI);
          addEdge(self, GEMINI.id, 'uses');
        }
        if (type === 'aws_route53_record') {
          externals.set(LEARNER.id, LEARNER);
          addEdge(LEARNER.id, self, 'flow');
        }
      }
      const connector = CONNECTORS[type];
      if (connector) {
        const sources = resolveAll(stack, body[connector[0]]);
        const targets = resolveAll(stack, body[connector[1]]);
        for (const from of sources) for (const to of targets) addEdge(from, to, 'flow');
      }
    }
    // A role's grants are what the resources assuming it use.
    for (const [, , policy] of allResources(stack).filter(([t]) => t === 'aws_iam_role_policy')) {
      const role = referencesIn(policy.role).find((r) => r.kind === 'resource');
      const users = role?.kind === 'resource' ? (roleUsers.get(role.id) ?? []) : [];
      for (const user of users) {
        for (const target of resolveAll(stack, policy.policy)) addEdge(user, target, 'uses');
        for (const service of allowedServices(policy.policy)) {
          const name = EXTERNAL_SERVICES[service];
          if (!name) continue;
          const external = { id: `external__${service}`, kind: 'AWS', name };
          externals.set(external.id, external);
          addEdge(user, external.id, 'uses');
        }
      }
    }
    const summary = [...counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, n]) => `${n} ${SUMMARIZED[type]}`);
    return { name: stack.name, dependencies: stack.dependencies, nodes, summary };
  });

  const sortedEdges = [...edges.values()].sort(
    (a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
  );
  const externalNodes = [...externals.values()].sort((a, b) => a.id.localeCompare(b.id));
  return { stacks: clusters, externals: externalNodes, edges: sortedEdges };
}

/** Producers before consumers (network, data, ai, app, ...), ties by name: the diagram reads top-down. */
function inDependencyOrder(stacks: readonly SynthesizedStack[]): SynthesizedStack[] {
  const depth = new Map<string, number>();
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const depthOf = (name: string, seen: ReadonlySet<string> = new Set()): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const deps = (byName.get(name)?.dependencies ?? []).filter((d) => byName.has(d) && !seen.has(d));
    const value =
      deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => depthOf(d, new Set([...seen, name]))));
    depth.set(name, value);
    return value;
  };
  return [...stacks].sort((a, b) => depthOf(a.name) - depthOf(b.name) || a.name.localeCompare(b.name));
}

/** A service uses what its task definition references (images, secrets, endpoints). */
function expandTaskDefinition(stack: SynthesizedStack, type: string, body: TfJson): unknown {
  if (type !== 'aws_ecs_service') return body;
  const taskDefinitions = referencesIn(body.task_definition)
    .filter((r) => r.kind === 'resource' && r.type === 'aws_ecs_task_definition')
    .map((r) => (r.kind === 'resource' ? resourcesOfType(stack, r.type)[r.id] : undefined));
  return [body, ...taskDefinitions];
}

/** A short, stable name: the resource's own literal name without the environment prefix. */
function displayName(stackName: string, body: TfJson, logicalId: string): string {
  const prefix = stackName.replace(/-[a-z]+$/, '-');
  for (const attribute of NAME_ATTRIBUTES) {
    const value = body[attribute];
    if (typeof value === 'string' && value !== '' && !value.includes('${')) {
      return value.startsWith(prefix) ? value.slice(prefix.length) : value;
    }
  }
  const meta = (body['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path;
  return meta ? meta.split('/').slice(1).join('/') : logicalId;
}
