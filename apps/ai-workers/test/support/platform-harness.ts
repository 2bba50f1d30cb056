import { SQSClient } from '@aws-sdk/client-sqs';
import type { JobKind, SubmissionLimits } from '@bandup/shared';
import type { SubmitDeps } from '../../src/api/submit-job.js';
import { createSqsSender, type SqsSender } from '../../src/clients/sqs-sender.js';
import { DailySubmissionCounter } from '../../src/limits/daily-submission-counter.js';
import { logger } from '../../src/runtime/observability.js';
import { createSubmissionCountersTable } from './dynalite.js';
import { type FakeSqs, startFakeSqs } from './fake-sqs.js';
import { type JobStoreHarness, startJobStoreHarness, TEST_DATA_BUCKET } from './job-store-harness.js';

/** The job store harness plus a fake SQS with one queue URL per kind. */
export interface PlatformHarness extends JobStoreHarness {
  readonly sqs: FakeSqs;
  readonly sqsClient: SQSClient;
  /** What the submit function sends with (the light JSON-protocol client), pointed at the fake. */
  readonly sqsSender: SqsSender;
  readonly queueUrls: Readonly<Record<JobKind, string>>;
  /** Daily submission counters on their own dynalite table, with `TEST_SUBMISSION_LIMITS`. */
  readonly countersTable: string;
  readonly limits: DailySubmissionCounter;
  /** The submit route's dependencies over this harness (its clock too), with `overrides` replacing parts. */
  submitDeps(overrides?: Partial<SubmitDeps>): SubmitDeps;
}

/** Limits high enough that only tests about limits ever reach them. */
export const TEST_SUBMISSION_LIMITS: SubmissionLimits = {
  utcOffsetMinutes: 420,
  tiers: {
    free: { writing: 1000, speaking: 1000, flashcards: 1000 },
    premium: { writing: 1000, speaking: 1000, flashcards: 1000 },
  },
};

export async function startPlatformHarness(now?: () => Date): Promise<PlatformHarness> {
  const base = await startJobStoreHarness(now);
  const sqs = await startFakeSqs();
  // Few attempts: a failing fake answers fast and the test does not wait on backoff.
  const sqsClient = new SQSClient({ endpoint: sqs.url, region: process.env.AWS_REGION, maxAttempts: 2 });
  const sqsSender = createSqsSender({ endpoint: sqs.url, maxAttempts: 2 });
  const queue = (name: string) => `${sqs.url}/123456789012/bandup-test-${name}`;
  const countersTable = await createSubmissionCountersTable(base.dynamo.client);
  const limits = new DailySubmissionCounter(base.documents, {
    tableName: countersTable,
    limits: TEST_SUBMISSION_LIMITS,
    ...(now ? { now } : {}),
  });
  const queueUrls = {
    writing: queue('writing'),
    speaking: queue('speaking'),
    flashcards: queue('flashcards'),
  };
  return {
    ...base,
    countersTable,
    limits,
    sqs,
    sqsClient,
    sqsSender,
    queueUrls,
    submitDeps: (overrides = {}) => ({
      store: base.store,
      sqs: sqsSender,
      s3: base.s3Objects,
      dataBucket: TEST_DATA_BUCKET,
      queueUrls,
      limits,
      logger,
      ...(now ? { now } : {}),
      ...overrides,
    }),
    close: async () => {
      sqsClient.destroy();
      sqsSender.client.destroy();
      await sqs.close();
      await base.close();
    },
  };
}
