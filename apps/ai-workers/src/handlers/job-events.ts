import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { readWorkerEnv } from '@bandup/shared';
import { createS3Objects } from '../clients/s3-objects.js';
import { createSnsClient } from '../clients/sns.js';
import { SnsJobEventPublisher } from '../events/job-event-publisher.js';
import { createJobEventsHandler } from '../events/job-events-handler.js';
import { ResultStorage } from '../jobs/result-storage.js';
import { instrument } from '../runtime/instrument.js';
import { traced } from '../runtime/job-store-from-env.js';
import { logger, METRIC_NAMES, metrics } from '../runtime/observability.js';

/** `job-events`: the jobs table stream -> one completion event per terminal transition (SNS FIFO). */
const env = readWorkerEnv('job-events');

export const handler = instrument(
  createJobEventsHandler({
    publisher: new SnsJobEventPublisher(createSnsClient({ capture: traced }), env.get('jobEventsTopicArn')),
    // S3 only for results too large for the item.
    results: new ResultStorage(createS3Objects({ capture: traced }), env.get('dataBucket')),
    logger,
    onPublished: () => metrics.addMetric(METRIC_NAMES.jobEventsPublished, MetricUnit.Count, 1),
  }),
);
