import type { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget/index.js';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import type { DeploymentMode } from '../deployment-mode.js';
import { EnvironmentStack } from '../environment-stack.js';
import { type DashboardTargets, dashboardBody } from './dashboard-body.js';
import { CacheAlarms, cacheNodeIds, DatabaseAlarms } from './data-tier-alarms.js';
import { monthlyBudget } from './monthly-budget.js';

export interface MonitoringStackProps {
  readonly config: EnvironmentConfig;
  readonly mode: DeploymentMode;
  /**
   * The app stack's KMS-encrypted alarm topic (e-mail subscription to `observability.alarmEmail`).
   * Reused rather than duplicated: operators confirm one subscription, not one per stack.
   */
  readonly alarmTopicArn: string;
  readonly database: { readonly identifier: string };
  readonly cache: { readonly replicationGroupId: string };
  /** Everything else the dashboard shows (the app and AI stacks already alarm on their own tiers). */
  readonly dashboard: Omit<DashboardTargets, 'region' | 'databaseIdentifier' | 'cacheNodeIds'>;
}

/**
 * `bandup-<env>-monitoring`: alarms for the data tier (which the data stack leaves to this stack,
 * so a threshold change never touches the database's state), one dashboard across every tier, and
 * the monthly cost budget. Alarms notify the app stack's alarm topic.
 */
export class MonitoringStack extends EnvironmentStack {
  readonly databaseAlarms: DatabaseAlarms;
  readonly cacheAlarms: CacheAlarms;
  readonly dashboard: CloudwatchDashboard;
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, props: MonitoringStackProps) {
    super(scope, 'monitoring', props);
    const { config } = props;

    this.databaseAlarms = new DatabaseAlarms(this, 'database-alarms', {
      name: this.resourceName('postgres'),
      instanceIdentifier: props.database.identifier,
      instanceClass: config.database.instanceClass,
      allocatedStorageGib: config.database.allocatedStorageGib,
      topicArn: props.alarmTopicArn,
    });
    this.cacheAlarms = new CacheAlarms(this, 'cache-alarms', {
      name: this.resourceName('cache'),
      replicationGroupId: props.cache.replicationGroupId,
      replicas: config.cache.replicas,
      topicArn: props.alarmTopicArn,
    });

    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: this.resourceName('overview'),
      dashboardBody: dashboardBody({
        ...props.dashboard,
        region: config.region,
        databaseIdentifier: props.database.identifier,
        cacheNodeIds: cacheNodeIds(props.cache.replicationGroupId, config.cache.replicas),
      }),
    });

    this.budget = monthlyBudget(this, 'budget', config, this.resourceName('monthly'));
  }
}
