import { SQSClient } from '@aws-sdk/client-sqs';
import type { JobKind } from '@bandup/shared';
import { type FakeSqs, startFakeSqs } from './fake-sqs.js';
import { type JobStoreHarness, startJobStoreHarness } from './job-store-harness.js';

/** The job store harness plus a fake SQS with one queue URL per kind. */
export interface PlatformHarness extends JobStoreHarness {
  readonly sqs: FakeSqs;
  readonly sqsClient: SQSClient;
  readonly queueUrls: Readonly<Record<JobKind, string>>;
}

export async function startPlatformHarness(now?: () => Date): Promise<PlatformHarness> {
  const base = await startJobStoreHarness(now);
  const sqs = await startFakeSqs();
  // Few attempts: a failing fake answers fast and the test does not wait on backoff.
  const sqsClient = new SQSClient({ endpoint: sqs.url, region: process.env.AWS_REGION, maxAttempts: 2 });
  const queue = (name: string) => `${sqs.url}/123456789012/bandup-test-${name}`;
  return {
    ...base,
    sqs,
    sqsClient,
    queueUrls: { writing: queue('writing'), speaking: queue('speaking'), flashcards: queue('flashcards') },
    close: async () => {
      sqsClient.destroy();
      await sqs.close();
      await base.close();
    },
  };
}
