import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One Logger, Metrics and Tracer per function instance, configured from the Powertools variables
 * every function receives (`POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_METRICS_NAMESPACE`,
 * `POWERTOOLS_LOG_LEVEL`). Module-level so that cold-start work happens once.
 */
export const logger = new Logger();
export const metrics = new Metrics();
export const tracer = new Tracer();

/** Metric names, so dashboards and alarms (infra) and code agree on one spelling. */
export const METRIC_NAMES = {
  jobsSubmitted: 'JobsSubmitted',
  jobsSucceeded: 'JobsSucceeded',
  jobsFailed: 'JobsFailed',
  jobDuration: 'JobDuration',
  jobsRetried: 'JobsRetried',
  poisonMessages: 'PoisonMessages',
  deadLetters: 'DeadLetters',
  jobEventsPublished: 'JobEventsPublished',
} as const;
