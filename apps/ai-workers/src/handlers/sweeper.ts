import { readWorkerEnv } from '@bandup/shared';
import { lazy } from '../clients/lazy.js';
import { lazyS3Client } from '../clients/lazy-s3.js';
import { instrument } from '../runtime/instrument.js';
import { jobStoreFromEnv, traced } from '../runtime/job-store-from-env.js';
import { logger } from '../runtime/observability.js';
import { opsMetrics } from '../runtime/ops-metrics.js';
import { sweepJobs } from '../sweeper/sweep-jobs.js';
import { environmentName } from '../workers/environment-name.js';

/** `sweeper`: scheduled; resolves jobs past their deadline (see `sweepJobs`). */
const env = readWorkerEnv('sweeper');
// Transcribe and SQS serve only speaking jobs stuck waiting for Transcribe, S3 only oversized results:
// most runs need none of them, so they are loaded on first use (see SweeperDeps).
const transcriptionJobs = lazy(async () => {
  const { createTranscribeClient, TranscriptionJobs } = await import('../clients/transcribe.js');
  return new TranscriptionJobs(createTranscribeClient({ capture: traced }));
});
const deps = {
  store: jobStoreFromEnv(env, lazyS3Client({ capture: traced })),
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
