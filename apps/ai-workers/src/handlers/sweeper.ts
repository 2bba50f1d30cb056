import { readWorkerEnv } from '@bandup/shared';
import { createS3Client } from '../clients/s3.js';
import { createSqsClient } from '../clients/sqs.js';
import { createTranscribeClient, TranscriptionJobs } from '../clients/transcribe.js';
import { instrument } from '../runtime/instrument.js';
import { jobStoreFromEnv, traced } from '../runtime/job-store-from-env.js';
import { logger } from '../runtime/observability.js';
import { opsMetrics } from '../runtime/ops-metrics.js';
import { sweepJobs } from '../sweeper/sweep-jobs.js';
import { environmentName } from '../workers/environment-name.js';

/** `sweeper`: scheduled; resolves jobs past their deadline (see `sweepJobs`). */
const env = readWorkerEnv('sweeper');
const deps = {
  store: jobStoreFromEnv(env, createS3Client({ capture: traced })),
  transcription: new TranscriptionJobs(createTranscribeClient({ capture: traced })),
  sqs: createSqsClient({ capture: traced }),
  finalizeQueueUrl: env.get('speakingFinalizeQueueUrl'),
  environment: environmentName(env.get('environment')),
  logger,
};

export const handler = instrument(async () => {
  const report = await sweepJobs(deps);
  opsMetrics.stuckJobs(report.actions['timed-out'] + report.actions['event-resent']);
  logger.info('Sweep finished', { ...report });
  return report;
});
