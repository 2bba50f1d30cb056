import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AI_METRIC_NAMES } from '@bandup/shared';
import { metrics } from './observability.js';

/**
 * Operational metrics without dimensions, the ones alarms watch directly (see `AI_METRIC_NAMES`).
 * Single-metric entries, published at once.
 */
function count(name: string, value = 1): void {
  metrics.singleMetric().addMetric(name, MetricUnit.Count, value);
}

export const opsMetrics = {
  stuckJobs: (value: number) => count(AI_METRIC_NAMES.stuckJobs, value),
  geminiQuery: () => count(AI_METRIC_NAMES.geminiQueries),
  geminiFallback: () => count(AI_METRIC_NAMES.geminiFallbacks),
  geminiKeyMissing: () => count(AI_METRIC_NAMES.geminiKeyMissing),
  bedrockThrottle: () => count(AI_METRIC_NAMES.bedrockThrottles),
};

/** Whether an error that reached the job runner is Bedrock's throttling, after the SDK's retries. */
export function isModelThrottle(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ThrottlingException';
}
