import type { StackInput } from './classify-stack.js';
import type { Json, PlanDocument, ResourceChange } from './plan-json.js';
import type { PriceTable, RegionPrices } from './price-table.js';
import { environmentOfStack } from './review-inputs.js';
import type { CostLine, CostSection, UsagePriced } from './review-model.js';
import type { SynthIndex } from './synth-index.js';

/**
 * Monthly cost of a plan from the dated price table: for each changed resource, the fixed monthly
 * charge of its `after` minus that of its `before`; and per environment, the total over every
 * resource the plans of this run leave in place (compared with the environment's budget: the
 * `aws_budgets_budget` in its plans, else the configured one). Usage-based charges are not
 * estimated, so the totals are a floor; the usage-billed resources are listed with their unit
 * prices next to them.
 */
export interface CostOptions {
  readonly inputs: readonly StackInput[];
  readonly prices: PriceTable;
  readonly synth: SynthIndex;
  /** Budget of an environment from its configuration, when no budget resource is in the plans. */
  readonly configuredBudget: (environment: string) => number | undefined;
}

export function estimateCost(options: CostOptions): CostSection {
  const lines: CostLine[] = [];
  const totals = new Map<string, number>();
  const budgets = new Map<string, number>();
  const unpriced = new Set<string>();
  const usage = new Map<string, UsagePriced>();
  for (const input of options.inputs) {
    const plan = input.plan;
    if (!plan) continue;
    const region = regionOf(plan);
    const prices = options.prices.regions[region];
    if (!prices) {
      unpriced.add(`${input.stack} (no prices for region ${region})`);
      continue;
    }
    const env = environmentOfStack(input.stack) ?? 'shared';
    const changes = (plan.resource_changes ?? []).filter((rc) => rc.mode === 'managed');
    const pricer = new ResourcePricer(
      prices,
      options.prices.hoursPerMonth,
      changes,
      input.stack,
      options.synth,
    );
    for (const rc of changes) {
      const before = rc.change.before ? pricer.monthly(rc, rc.change.before, 'before') : undefined;
      const after = rc.change.after ? pricer.monthly(rc, rc.change.after, 'after') : undefined;
      if (after) totals.set(env, (totals.get(env) ?? 0) + after.amount);
      const unitPrices = prices.usage[rc.type];
      if (rc.change.after && unitPrices) {
        const key = `${env} ${rc.type}`;
        const seen = usage.get(key);
        usage.set(key, {
          environment: env,
          resourceType: rc.type,
          count: (seen?.count ?? 0) + 1,
          unitPrices: Object.entries(unitPrices)
            .map(([unit, price]) => `${price} USD ${unit}`)
            .join(', '),
        });
      }
      const delta = (after?.amount ?? 0) - (before?.amount ?? 0);
      if (Math.abs(delta) >= 0.005)
        lines.push({
          stack: input.stack,
          address: rc.address,
          monthlyDelta: round(delta),
          basis: (after ?? before)?.basis ?? '',
        });
      if (rc.type === 'aws_budgets_budget' && rc.change.after?.limit_amount)
        budgets.set(env, Number(rc.change.after.limit_amount));
    }
    if (!totals.has(env)) totals.set(env, 0);
  }
  lines.sort((a, b) => Math.abs(b.monthlyDelta) - Math.abs(a.monthlyDelta));
  return {
    priceTableDate: options.prices.asOf,
    currency: 'USD',
    monthlyDelta: round(lines.reduce((n, l) => n + l.monthlyDelta, 0)),
    lines,
    environments: [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([environment, total]) => {
        const budget = budgets.get(environment) ?? options.configuredBudget(environment);
        return { environment, estimatedMonthly: round(total), ...(budget !== undefined ? { budget } : {}) };
      }),
    unpriced: [...unpriced],
    usagePriced: [...usage.values()].sort(
      (a, b) => a.environment.localeCompare(b.environment) || a.resourceType.localeCompare(b.resourceType),
    ),
  };
}

interface Price {
  readonly amount: number;
  readonly basis: string;
}

/** Fixed monthly charge of one resource's values. */
class ResourcePricer {
  constructor(
    private readonly p: RegionPrices,
    private readonly hours: number,
    private readonly changes: readonly ResourceChange[],
    private readonly stack: string,
    private readonly synth: SynthIndex,
  ) {}

  monthly(rc: ResourceChange, v: Json, side: 'before' | 'after'): Price | undefined {
    const h = this.hours;
    switch (rc.type) {
      case 'aws_nat_gateway':
        return { amount: this.p.natGatewayHour * h, basis: `NAT gateway, ${h} h` };
      case 'aws_lb':
        return { amount: this.p.albHour * h, basis: `load balancer, ${h} h (LCUs not counted)` };
      case 'aws_eip':
        return { amount: this.p.publicIpv4Hour * h, basis: `public IPv4 address, ${h} h` };
      case 'aws_vpc_endpoint': {
        if (v.vpc_endpoint_type !== 'Interface') return undefined;
        const azs = Array.isArray(v.subnet_ids) ? v.subnet_ids.length : 1;
        return {
          amount: this.p.interfaceEndpointAzHour * azs * h,
          basis: `interface endpoint in ${azs} AZ(s)`,
        };
      }
      case 'aws_db_instance': {
        const hourly = this.p.rdsInstanceHour[v.instance_class];
        if (hourly === undefined) return { amount: 0, basis: `no price for ${v.instance_class}` };
        const copies = v.multi_az ? 2 : 1;
        const storage =
          (this.p.rdsStorageGbMonth[v.storage_type] ?? 0) * Number(v.allocated_storage ?? 0) * copies;
        const extraIops =
          v.storage_type === 'gp3'
            ? Math.max(0, Number(v.iops ?? 0) - this.p.rdsGp3IncludedIops)
            : Number(v.iops ?? 0);
        const iops = (this.p.rdsProvisionedIopsMonth[v.storage_type] ?? 0) * extraIops * copies;
        return {
          amount: hourly * h * copies + storage + iops,
          basis: `${v.instance_class}${copies === 2 ? ' Multi-AZ' : ''}, ${v.allocated_storage} GiB ${v.storage_type}`,
        };
      }
      case 'aws_elasticache_replication_group': {
        const hourly = this.p.cacheNodeHour[v.node_type];
        if (hourly === undefined) return { amount: 0, basis: `no price for ${v.node_type}` };
        const nodes = Number(
          v.num_cache_clusters ??
            Number(v.num_node_groups ?? 1) * (Number(v.replicas_per_node_group ?? 0) + 1),
        );
        const discount = v.engine === 'valkey' ? 1 - this.p.cacheValkeyDiscount : 1;
        return { amount: hourly * h * nodes * discount, basis: `${nodes} × ${v.node_type} (${v.engine})` };
      }
      case 'aws_ecs_service': {
        const task = this.taskDefinition(rc, v, side);
        if (!task) return { amount: 0, basis: 'task definition not found' };
        const count = Number(v.desired_count ?? 0);
        const vcpu = Number(task.cpu ?? 0) / 1024;
        const gb = Number(task.memory ?? 0) / 1024;
        const spot = (v.capacity_provider_strategy ?? []).some(
          (s: Json) => s.capacity_provider === 'FARGATE_SPOT' && s.weight > 0,
        );
        const arm = (task.runtime_platform ?? []).some((p: Json) => p.cpu_architecture === 'ARM64');
        const hourly =
          (vcpu * (arm ? this.p.fargateArmVcpuHour : this.p.fargateVcpuHour) +
            gb * (arm ? this.p.fargateArmGbHour : this.p.fargateGbHour)) *
          (spot ? 1 - this.p.fargateSpotDiscount : 1);
        return {
          amount: hourly * h * count,
          basis: `${count} × Fargate ${vcpu} vCPU/${gb} GB${arm ? ' ARM64' : ''}${spot ? ' Spot' : ''}`,
        };
      }
      case 'aws_kms_key':
        return { amount: this.p.kmsKeyMonth, basis: 'KMS key' };
      case 'aws_secretsmanager_secret':
        return { amount: this.p.secretMonth, basis: 'secret' };
      case 'aws_cloudwatch_metric_alarm':
        return { amount: this.p.alarmMonth, basis: 'alarm' };
      case 'aws_cloudwatch_dashboard':
        return { amount: this.p.dashboardMonth, basis: 'dashboard' };
      case 'aws_wafv2_web_acl': {
        const rules = Array.isArray(v.rule) ? v.rule.length : 0;
        return {
          amount: this.p.wafWebAclMonth + rules * this.p.wafRuleMonth,
          basis: `web ACL with ${rules} rule(s)`,
        };
      }
      case 'aws_route53_zone':
        return { amount: this.p.route53ZoneMonth, basis: 'hosted zone' };
      case 'aws_codepipeline':
        return v.pipeline_type === 'V2'
          ? undefined
          : { amount: this.p.codepipelineV1Month, basis: 'V1 pipeline' };
      default:
        return undefined;
    }
  }

  /** The service's task definition: through the configured reference, else by family name. */
  private taskDefinition(rc: ResourceChange, v: Json, side: 'before' | 'after'): Json {
    const tds = this.changes.filter((c) => c.type === 'aws_ecs_task_definition');
    const expression = this.synth.expression(this.stack, rc.address, 'task_definition');
    const ref =
      typeof expression === 'string'
        ? /^\$\{aws_ecs_task_definition\.([^.]+)\.arn\}$/.exec(expression)?.[1]
        : undefined;
    const byRef = ref ? tds.find((c) => c.name === ref) : undefined;
    const family =
      typeof v.task_definition === 'string'
        ? /task-definition\/([^:]+)/.exec(v.task_definition)?.[1]
        : undefined;
    const match = byRef ?? tds.find((c) => (c.change[side] ?? c.change.after)?.family === family);
    return match ? (match.change[side] ?? match.change.after ?? match.change.before) : undefined;
  }
}

function regionOf(plan: PlanDocument): string {
  const region = plan.configuration?.provider_config?.aws?.expressions?.region?.constant_value;
  return typeof region === 'string' ? region : 'unknown';
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
