import type { Context } from 'aws-lambda';
import { logger, metrics } from './observability.js';

/**
 * Wraps a Lambda handler with the Powertools plumbing, without middleware: the request id and
 * cold-start flag on every log line, a ColdStart metric, and stored metrics flushed at the end (also
 * on a throw). The trace of the invocation is Lambda's own (active tracing), with a subsegment per
 * AWS call from `traceAwsCalls`.
 */
export function instrument<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return async (event: E, context: Context): Promise<R> => {
    logger.addContext(context);
    metrics.captureColdStartMetric(context.functionName);
    try {
      return await handler(event, context);
    } finally {
      // Job metrics are single-metric entries (published at once); flush whatever else was stored.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}
