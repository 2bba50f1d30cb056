import type { Context } from 'aws-lambda';
import { logger, metrics, tracer } from './observability.js';

/**
 * Wraps a Lambda handler with the Powertools plumbing, without middleware: the request id and
 * cold-start flag on every log line, a ColdStart metric, a traced `## handler` subsegment with
 * cold-start and service annotations, and stored metrics flushed at the end (also on a throw).
 */
export function instrument<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return async (event: E, context: Context): Promise<R> => {
    logger.addContext(context);
    metrics.captureColdStartMetric(context.functionName);
    const parent = tracer.getSegment();
    const segment = parent?.addNewSubsegment('## handler');
    if (segment) tracer.setSegment(segment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      return await handler(event, context);
    } catch (error) {
      tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      // Job metrics are single-metric entries (published at once); flush whatever else was stored.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      if (segment && parent) {
        segment.close();
        tracer.setSegment(parent);
      }
      logger.resetKeys();
    }
  };
}
