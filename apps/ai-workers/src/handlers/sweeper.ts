import { readWorkerEnv } from '@bandup/shared';
import { lazy } from '../clients/lazy.js';
import { createS3Objects } from '../clients/s3-objects.js';
import { instrument } from '../runtime/instrument.js';
import { jobStoreFromEnv, traced } from '../runtime/job-store-from-env.js';
import { logger } from '../runtime/observability.js';
import { opsMetrics } from '../runtime/ops-metrics.js';
import { sweepJobs } from '../sweeper/sweep-jobs.js';
import { environmentName } from '../workers/environment-name.js';

/** `sweeper`: scheduled; resolves jobs past their deadline (see `sweepJobs`). */
const env = readWorkerEnv('sweeper');
// Transcribe and SQS serve only speaking jobs stuck waiting for Transcribe: most runs need neither,
// so they are loaded on first use (see SweeperDeps). S3 is called only for oversized results.
const transcriptionJobs = lazy(async () => {
  const { createTranscribeClient, TranscriptionJobs } = await import('../clients/transcribe.js');
  return new TranscriptionJobs(createTranscribeClient({ capture: traced }));
});
const deps = {
  store: jobStoreFromEnv(env, createS3Objects({ capture: traced })),
  transcription: { get: async (jobName: string) => (await transcriptionJobs()).get(jobName) },
  sqs: lazy(async () => (await import('../clients/sqs.js')).createSqsClient({ capture: traced })),
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
