import { readWorkerEnv } from '@bandup/shared';
import { createSubmitRoute } from '../api/submit-job.js';
import { createDocumentTable } from '../clients/dynamodb.js';
import { createS3Objects } from '../clients/s3-objects.js';
import { createSqsSender } from '../clients/sqs-sender.js';
import { apiHandler } from '../http/api-handler.js';
import { DailySubmissionCounter } from '../limits/daily-submission-counter.js';
import { parseSubmissionLimits } from '../limits/submission-limits-from-env.js';
import { instrument } from '../runtime/instrument.js';
import { jobStoreFromEnv, traced } from '../runtime/job-store-from-env.js';
import { logger } from '../runtime/observability.js';

/**
 * `submit`: POST /v1/{writing,speaking}/assessments and /v1/flashcards/sets (see `createSubmitRoute`).
 * S3 is called only to check a Speaking or flashcard submission's upload.
 */
const env = readWorkerEnv('submit');
const s3 = createS3Objects({ capture: traced });
// The jobs table and the daily counters table share one client.
const dynamo = createDocumentTable({ capture: traced });

export const handler = instrument(
  apiHandler(
    logger,
    createSubmitRoute({
      store: jobStoreFromEnv(env, s3, dynamo),
      sqs: createSqsSender({ capture: traced }),
      s3,
      dataBucket: env.get('dataBucket'),
      queueUrls: {
        writing: env.get('writingQueueUrl'),
        speaking: env.get('speakingQueueUrl'),
        flashcards: env.get('flashcardsQueueUrl'),
      },
      limits: new DailySubmissionCounter(dynamo, {
        tableName: env.get('submissionCountersTable'),
        limits: parseSubmissionLimits(env.get('submissionLimits')),
      }),
      logger,
    }),
  ),
);
