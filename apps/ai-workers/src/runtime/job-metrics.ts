import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { JobKind } from '@bandup/shared';
import { METRIC_NAMES, metrics } from './observability.js';

/**
 * Job metrics with a `kind` dimension. A single-metric entry per event keeps the dimension exact even
 * when one invocation touches several kinds (submit, dead-letter).
 */
function count(name: string, kind: JobKind | 'unknown', value = 1): void {
  metrics.singleMetric().addDimension('kind', kind).addMetric(name, MetricUnit.Count, value);
}

export const jobMetrics = {
  submitted: (kind: JobKind) => count(METRIC_NAMES.jobsSubmitted, kind),
  succeeded: (kind: JobKind) => count(METRIC_NAMES.jobsSucceeded, kind),
  failed: (kind: JobKind | 'unknown') => count(METRIC_NAMES.jobsFailed, kind),
  retried: (kind: JobKind) => count(METRIC_NAMES.jobsRetried, kind),
  poison: (kind: JobKind | 'unknown') => count(METRIC_NAMES.poisonMessages, kind),
  deadLetter: (kind: JobKind | 'unknown') => count(METRIC_NAMES.deadLetters, kind),
  /** Submission to completion, in milliseconds. */
  duration(kind: JobKind, createdAt: string, finishedAt: Date = new Date()): void {
    const ms = finishedAt.getTime() - Date.parse(createdAt);
    if (Number.isFinite(ms) && ms >= 0) {
      metrics
        .singleMetric()
        .addDimension('kind', kind)
        .addMetric(METRIC_NAMES.jobDuration, MetricUnit.Milliseconds, ms);
    }
  },
};
