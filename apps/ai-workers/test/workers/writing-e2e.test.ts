import { readFileSync } from 'node:fs';
import { JobMessageSchema, WritingResultSchema } from '@bandup/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStatusRoute } from '../../src/api/job-status.js';
import { createSubmitRoute } from '../../src/api/submit-job.js';
import { BedrockConverseModel } from '../../src/clients/bedrock-converse.js';
import { type BedrockRuntime, createBedrockRuntimeClient } from '../../src/clients/bedrock-runtime.js';
import { apiHandler } from '../../src/http/api-handler.js';
import { logger } from '../../src/runtime/observability.js';
import { createSqsJobHandler } from '../../src/runtime/sqs-job-handler.js';
import { createWritingWorker } from '../../src/workers/writing.js';
import {
  type ConverseReply,
  FAKE_CREDENTIALS,
  type FakeBedrock,
  startFakeBedrock,
  THROTTLED,
} from '../fakes/fake-bedrock.js';
import { apiEvent, lambdaContext, sqsEvent, sqsRecord } from '../support/events.js';
import { type PlatformHarness, startPlatformHarness } from '../support/platform-harness.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
const ESSAY = JSON.parse(fixture('writing-task2-essay.json')) as {
  taskType: string;
  prompt: string;
  essay: string;
};
const ANSWER = fixture('model-answers/writing-task2.json');
const USER = 'learner-42';

let h: PlatformHarness;
let bedrock: FakeBedrock;
let bedrockClient: BedrockRuntime;

beforeEach(async () => {
  h = await startPlatformHarness();
});
afterEach(async () => {
  bedrockClient?.destroy();
  await bedrock?.close();
  await h.close();
});

/** The three functions a Writing job passes through, wired to dynalite, fake SQS/S3 and fake Bedrock. */
async function platform(converse: readonly ConverseReply[]) {
  bedrock = await startFakeBedrock({ converse });
  bedrockClient = createBedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: bedrock.url,
    credentials: FAKE_CREDENTIALS,
  });
  const submit = apiHandler(logger, createSubmitRoute(h.submitDeps()));
  const writing = createSqsJobHandler({
    kind: 'writing',
    worker: createWritingWorker({ model: new BedrockConverseModel(bedrockClient, 'google.gemma-3-12b-it') }),
    store: h.store,
  });
  const status = apiHandler(logger, createStatusRoute({ store: h.store }));
  return { submit, writing, status };
}

async function submitEssay(submit: Awaited<ReturnType<typeof platform>>['submit']) {
  const response = await submit(
    apiEvent({ resource: '/v1/writing/assessments', body: { userId: USER, ...ESSAY } }),
    lambdaContext('submit'),
  );
  expect(response.statusCode).toBe(202);
  const { jobId } = JSON.parse(response.body) as { jobId: string };
  const sent = h.sqs.sent.at(-1)!;
  expect(sent.queueUrl).toBe(h.queueUrls.writing);
  expect(JobMessageSchema.parse(JSON.parse(sent.body))).toMatchObject({ jobId, kind: 'writing' });
  return { jobId, body: sent.body };
}

describe('Writing end to end: submit -> writing worker -> SUCCEEDED', () => {
  it('stores the computed task band, validated result and model metadata, and serves it', async () => {
    const { submit, writing, status } = await platform([THROTTLED, ANSWER]);
    const { jobId, body } = await submitEssay(submit);
    expect((await h.store.get(jobId))?.status).toBe('QUEUED');

    const batch = await writing(sqsEvent([sqsRecord(body)]), lambdaContext('writing'));
    expect(batch.batchItemFailures).toEqual([]);

    const job = await h.store.get(jobId);
    expect(job).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    const result = WritingResultSchema.parse(job?.result);
    expect(result.taskBand).toBe(6.5);
    expect(result.examples).toHaveLength(2);
    expect(result.droppedExamples).toBe(1);
    expect(result.wordCount).toBe(301);
    expect(job?.model).toMatchObject({ modelId: 'google.gemma-3-12b-it', calls: 1 });
    // The first Converse call was throttled and retried inside the SDK (adaptive retry).
    expect(bedrock.converseCalls).toHaveLength(2);

    const answer = await status(
      apiEvent({
        method: 'GET',
        resource: '/v1/jobs/{jobId}',
        path: `/v1/jobs/${jobId}`,
        pathParameters: { jobId },
        query: { userId: USER },
      }),
      lambdaContext('status'),
    );
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ jobId, status: 'SUCCEEDED', result: { taskBand: 6.5 } });
  });

  it('fails the job MODEL_OUTPUT_INVALID (raw answer kept) and acknowledges the message', async () => {
    const { submit, writing } = await platform(['Band 7 overall, well done!', '{"overall_band": 7}']);
    const { jobId, body } = await submitEssay(submit);

    const batch = await writing(sqsEvent([sqsRecord(body)]), lambdaContext('writing'));
    expect(batch.batchItemFailures).toEqual([]);
    const job = await h.store.get(jobId);
    expect(job?.status).toBe('FAILED');
    expect(job?.error).toMatchObject({
      code: 'MODEL_OUTPUT_INVALID',
      details: { rawAnswer: '{"overall_band": 7}', firstRawAnswer: 'Band 7 overall, well done!' },
    });
    expect(job?.result).toBeUndefined();
  });

  it('leaves a Bedrock outage to SQS redelivery, then succeeds on the next delivery', async () => {
    const unavailable = {
      status: 503,
      headers: { 'x-amzn-errortype': 'ServiceUnavailableException' },
      body: { message: 'down' },
    };
    const { submit, writing } = await platform([unavailable, unavailable, unavailable, unavailable, ANSWER]);
    const { jobId, body } = await submitEssay(submit);
    const record = sqsRecord(body);

    const first = await writing(sqsEvent([record]), lambdaContext('writing'));
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect((await h.store.get(jobId))?.status).toBe('RUNNING');

    const second = await writing(
      sqsEvent([{ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } }]),
      lambdaContext('writing'),
    );
    expect(second.batchItemFailures).toEqual([]);
    expect(await h.store.get(jobId)).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 2,
      result: { taskBand: 6.5 },
    });
  });
});
