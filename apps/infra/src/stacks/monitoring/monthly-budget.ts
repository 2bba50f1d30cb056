import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget/index.js';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';

/** Budget alerts, in percent of the monthly budget. */
const BUDGET_THRESHOLDS = [80, 100] as const;

/**
 * The environment's monthly cost budget, e-mailing the operators at each threshold. Costs are
 * filtered by the Environment tag (every resource carries it through default_tags), so dev and prod
 * sharing an account each get their own budget. The tag must be activated once as a cost
 * allocation tag in the Billing console (README, "Monitoring").
 */
export function monthlyBudget(
  scope: Construct,
  id: string,
  config: EnvironmentConfig,
  name: string,
): BudgetsBudget {
  return new BudgetsBudget(scope, id, {
    name,
    accountId: config.accountId,
    budgetType: 'COST',
    timeUnit: 'MONTHLY',
    limitAmount: config.observability.monthlyBudgetUsd.toFixed(2),
    limitUnit: 'USD',
    costFilter: [{ name: 'TagKeyValue', values: [`user:Environment$${config.name}`] }],
    notification: BUDGET_THRESHOLDS.map((threshold) => ({
      comparisonOperator: 'GREATER_THAN',
      threshold,
      thresholdType: 'PERCENTAGE',
      notificationType: 'ACTUAL',
      subscriberEmailAddresses: [config.observability.alarmEmail],
    })),
  });
}
