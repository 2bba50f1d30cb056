import type { JobEvent } from '@bandup/shared';
import { describe, expect, it } from 'vitest';
import type { JobEventPublisher } from '../../src/events/job-event-publisher.js';
import { createJobEventsHandler } from '../../src/events/job-events-handler.js';
import { sampleFlashcardSetResult, sampleWritingResult } from '../support/job-results.js';
import { streamEvent, streamRecordOf } from '../support/stream-records.js';

const silent = { info: () => {}, error: () => {} };

function job(jobId: string, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    jobId,
    userId: 'learner-1',
    kind: 'writing',
    status,
    principal: 'arn:aws:sts::123456789012:assumed-role/backend/1',
    createdAt: '2026-11-29T10:00:00.000Z',
    updatedAt: '2026-11-29T10:00:05.000Z',
    finishedAt: '2026-11-29T10:00:05.000Z',
    attempts: 1,
    expiresAt: 1_797_000_000,
    ...extra,
  };
}
const ids = [
  '0a0a0a0a-0000-4000-8000-000000000001',
  '0a0a0a0a-0000-4000-8000-000000000002',
  '0a0a0a0a-0000-4000-8000-000000000003',
] as const;
const done = (id: string) => job(id, 'SUCCEEDED', { result: sampleWritingResult() });

class RecordingPublisher implements JobEventPublisher {
  readonly published: JobEvent[] = [];
  failFor = new Set<string>();
  async publish(event: JobEvent): Promise<void> {
    if (this.failFor.has(event.jobId)) throw new Error('SNS unavailable');
    this.published.push(event);
  }
}

const noResults = {
  get: async () => {
    throw new Error('no S3 in this test');
  },
};

describe('job-events stream handler', () => {
  it('publishes one event per terminal transition and nothing for other records', async () => {
    const publisher = new RecordingPublisher();
    const handler = createJobEventsHandler({ publisher, results: noResults, logger: silent });
    const answer = await handler(
      streamEvent([
        streamRecordOf(undefined, job(ids[0], 'QUEUED')),
        streamRecordOf(job(ids[0], 'QUEUED'), job(ids[0], 'RUNNING')),
        streamRecordOf(job(ids[0], 'RUNNING'), done(ids[0])),
        streamRecordOf(done(ids[0]), undefined),
      ]),
    );
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(publisher.published.map((e) => e.eventId)).toEqual([`${ids[0]}:SUCCEEDED`]);
  });

  it('stops at the first record it cannot publish and reports its sequence number', async () => {
    const publisher = new RecordingPublisher();
    publisher.failFor.add(ids[1]);
    const published: string[] = [];
    const handler = createJobEventsHandler({
      publisher,
      results: noResults,
      logger: silent,
      onPublished: (status) => published.push(status),
    });
    const records = ids.map((id) => streamRecordOf(job(id, 'RUNNING'), done(id)));
    const answer = await handler(streamEvent(records));
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]?.dynamodb?.SequenceNumber }] });
    // Records after the failed one are left for the redelivery, which starts at the failed one.
    expect(publisher.published.map((e) => e.jobId)).toEqual([ids[0]]);
    expect(published).toEqual(['SUCCEEDED']);
  });

  it('reports a malformed record (so bisection isolates it) instead of skipping it silently', async () => {
    const publisher = new RecordingPublisher();
    const errors: unknown[] = [];
    const handler = createJobEventsHandler({
      publisher,
      results: noResults,
      logger: {
        info: () => {},
        error: (_message, ...extra) => {
          errors.push(...extra);
        },
      },
    });
    const bad = streamRecordOf(job(ids[2], 'RUNNING'), job(ids[2], 'FAILED'));
    const answer = await handler(streamEvent([bad]));
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: bad.dynamodb?.SequenceNumber }]);
    expect(JSON.stringify(errors)).toMatch(/InvalidJobEventError: .*error\.code/);
  });

  it('throws (failing the whole batch) when a failed record has no sequence number to checkpoint', async () => {
    const publisher = new RecordingPublisher();
    publisher.failFor.add(ids[0]);
    const handler = createJobEventsHandler({ publisher, results: noResults, logger: silent });
    const record = streamRecordOf(job(ids[0], 'RUNNING'), done(ids[0]));
    const { SequenceNumber: _s, ...change } = record.dynamodb ?? {};
    await expect(handler(streamEvent([{ ...record, dynamodb: change }]))).rejects.toThrow('SNS unavailable');
  });

  it('reads a result stored in S3 (behind resultPointer) to summarise it', async () => {
    const publisher = new RecordingPublisher();
    const pointers: string[] = [];
    const results = {
      get: async (pointer: string) => {
        pointers.push(pointer);
        return sampleFlashcardSetResult(4, 4);
      },
    };
    const handler = createJobEventsHandler({ publisher, results, logger: silent });
    const big = job(ids[1], 'SUCCEEDED', { kind: 'flashcards', resultPointer: `results/${ids[1]}.json` });
    await handler(streamEvent([streamRecordOf(job(ids[1], 'RUNNING', { kind: 'flashcards' }), big)]));
    expect(pointers).toEqual([`results/${ids[1]}.json`]);
    expect(publisher.published[0]).toMatchObject({ summary: { kind: 'flashcards', cardCount: 4 } });
  });
});
