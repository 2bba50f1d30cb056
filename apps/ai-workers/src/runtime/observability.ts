import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One Logger and Metrics per function instance, configured from the Powertools variables every
 * function receives (`POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_METRICS_NAMESPACE`,
 * `POWERTOOLS_LOG_LEVEL`). Module-level so that cold-start work happens once.
 *
 * Tracing needs no object here: Lambda active tracing records each invocation (and the cold start's
 * Initialization) and `aws-call-tracing.ts` adds a subsegment per AWS call, so the Powertools Tracer
 * (which loads the X-Ray SDK, about a quarter of a small function's cold start) is not used.
 */
export const logger = new Logger();
export const metrics = new Metrics();

/** Metric names, so dashboards and alarms (infra) and code agree on one spelling. */
export const METRIC_NAMES = {
  jobsSubmitted: 'JobsSubmitted',
  jobsSucceeded: 'JobsSucceeded',
  jobsFailed: 'JobsFailed',
  jobDuration: 'JobDuration',
  jobsRetried: 'JobsRetried',
  poisonMessages: 'PoisonMessages',
  deadLetters: 'DeadLetters',
} as const;
