import {
  type SpeakingTestBandResponse,
  speakingTestBands,
  taskBand,
  type WritingTestBandResponse,
  writingBand,
} from '@bandup/shared';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBandRoute } from '../../src/api/test-band.js';
import { apiHandler } from '../../src/http/api-handler.js';
import { logger } from '../../src/runtime/observability.js';
import { apiEvent, BACKEND_ROLE_ARN, lambdaContext } from '../support/events.js';
import { sampleSpeakingPartResult, sampleWritingResult } from '../support/job-results.js';
import { type JobStoreHarness, startJobStoreHarness } from '../support/job-store-harness.js';

const USER = 'learner-bands';
let h: JobStoreHarness;
let get: (resource: string, query: Record<string, string>) => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  h = await startJobStoreHarness();
  const route = apiHandler(logger, createTestBandRoute({ store: h.store }));
  get = (resource, query) => route(apiEvent({ method: 'GET', resource, query }), lambdaContext('test-band'));
});
afterAll(async () => {
  await h.close();
});

const queued = async (kind: 'writing' | 'speaking', userId = USER) =>
  (await h.store.create({ userId, kind, principal: BACKEND_ROLE_ARN, requestHash: 'h' })).job.jobId;
const succeeded = async (kind: 'writing' | 'speaking', result: unknown, userId = USER) => {
  const jobId = await queued(kind, userId);
  await h.store.start(jobId);
  expect(await h.store.succeed({ jobId, kind }, result)).toBe(true);
  return jobId;
};
const failed = async (kind: 'writing' | 'speaking') => {
  const jobId = await queued(kind);
  await h.store.fail(jobId, { code: 'TRANSCRIPT_EMPTY', message: 'No words' });
  return jobId;
};
const writingTask = (taskType: 'task1-academic' | 'task1-general' | 'task2', bands: number[]) => {
  const c = (band: number) => ({ band, feedback: 'ok', evidence: [] });
  return sampleWritingResult({
    taskType,
    minimumWords: taskType === 'task2' ? 250 : 150,
    criteria: {
      taskAchievement: c(bands[0]!),
      coherenceCohesion: c(bands[1]!),
      lexicalResource: c(bands[2]!),
      grammaticalRangeAccuracy: c(bands[3]!),
    },
    taskBand: taskBand(bands),
  });
};
const body = <T>(r: APIGatewayProxyResult) => JSON.parse(r.body) as T;

describe('GET /v1/writing/test-band: the shared maths on a table of cases', () => {
  const cases: [string, number[], number[]][] = [
    ['equal tasks', [6, 6, 6, 6], [6, 6, 6, 6]],
    ['stronger Task 2 counts double', [5, 5, 5, 5], [7, 7, 7, 7]],
    ['stronger Task 1 counts once', [7, 7, 7, 7], [5.5, 5.5, 5.5, 5.5]],
    ['task bands rounded down first', [6, 6, 6.5, 6.5], [7, 7, 6.5, 7]],
    ['high bands', [8.5, 9, 8.5, 9], [9, 9, 8.5, 9]],
  ];
  it.each(cases)('%s', async (_name, task1Criteria, task2Criteria) => {
    const task1JobId = await succeeded('writing', writingTask('task1-academic', task1Criteria));
    const task2JobId = await succeeded('writing', writingTask('task2', task2Criteria));
    const answer = await get('/v1/writing/test-band', { userId: USER, task1JobId, task2JobId });
    expect(answer.statusCode).toBe(200);
    const t1 = taskBand(task1Criteria);
    const t2 = taskBand(task2Criteria);
    expect(body<WritingTestBandResponse>(answer)).toEqual({
      band: writingBand(t1, t2),
      task1: { jobId: task1JobId, taskType: 'task1-academic', taskBand: t1 },
      task2: { jobId: task2JobId, taskBand: t2 },
    });
  });

  it('is 6.5 for Task 1 at 6 and Task 2 at 7 (6.67 reported as 6.5)', async () => {
    const task1JobId = await succeeded('writing', writingTask('task1-general', [6, 6, 6, 6]));
    const task2JobId = await succeeded('writing', writingTask('task2', [7, 7, 7, 7]));
    const answer = await get('/v1/writing/test-band', { userId: USER, task1JobId, task2JobId });
    expect(body<WritingTestBandResponse>(answer).band).toBe(6.5);
  });
});

describe('GET /v1/speaking/test-band: the shared maths on a table of cases', () => {
  type Bands = [number, number, number, number];
  const cases: [string, Bands, Bands, Bands][] = [
    ['equal parts', [6, 6, 6, 6], [6, 6, 6, 6], [6, 6, 6, 6]],
    ['a strong part 3', [6, 6, 6, 6], [6, 6, 6, 6], [7.5, 7, 7, 6.5]],
    ['mixed criteria', [7, 6.5, 6, 6], [7, 7, 6, 6], [7.5, 7, 6.5, 6]],
    ['low bands', [4, 4.5, 4, 5], [4.5, 4.5, 4, 5], [4, 5, 4.5, 5]],
  ];
  it.each(cases)('%s', async (_name, p1, p2, p3) => {
    const ids = [
      await succeeded('speaking', sampleSpeakingPartResult(1, p1)),
      await succeeded('speaking', sampleSpeakingPartResult(2, p2)),
      await succeeded('speaking', sampleSpeakingPartResult(3, p3)),
    ];
    const answer = await get('/v1/speaking/test-band', {
      userId: USER,
      part1JobId: ids[0]!,
      part2JobId: ids[1]!,
      part3JobId: ids[2]!,
    });
    expect(answer.statusCode).toBe(200);
    const asCriteria = ([fc, lr, gra, p]: Bands) => ({
      fluencyCoherence: fc,
      lexicalResource: lr,
      grammaticalRangeAccuracy: gra,
      pronunciation: p,
    });
    const expected = speakingTestBands([asCriteria(p1), asCriteria(p2), asCriteria(p3)]);
    const got = body<SpeakingTestBandResponse>(answer);
    expect(got.band).toBe(expected.band);
    expect(got.criteria).toEqual(expected.criteria);
    expect(got.parts.map((p) => [p.part, p.jobId, p.band])).toEqual([
      [1, ids[0], taskBand(p1)],
      [2, ids[1], taskBand(p2)],
      [3, ids[2], taskBand(p3)],
    ]);
  });
});

describe('test bands: parts that cannot be combined', () => {
  it('409 PART_NOT_FINISHED while a part is QUEUED or RUNNING', async () => {
    const task1JobId = await succeeded('writing', writingTask('task1-academic', [6, 6, 6, 6]));
    const task2JobId = await queued('writing');
    const answer = await get('/v1/writing/test-band', { userId: USER, task1JobId, task2JobId });
    expect(answer.statusCode).toBe(409);
    expect(body(answer)).toEqual({
      message: 'Not every part of the test has finished yet; ask again once they have',
      code: 'PART_NOT_FINISHED',
      errors: [
        { path: 'query.task2JobId', message: `Job ${task2JobId} is QUEUED; ask again once it has finished` },
      ],
    });
  });

  it('422 listing every part: missing, failed, of another learner, wrong part (and the pending one)', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const other = await succeeded('speaking', sampleSpeakingPartResult(2, [6, 6, 6, 6]), 'someone-else');
    const failedPart = await failed('speaking');
    const answer = await get('/v1/speaking/test-band', {
      userId: USER,
      part1JobId: missing,
      part2JobId: other,
      part3JobId: failedPart,
    });
    expect(answer.statusCode).toBe(422);
    const got = body<{ code: string; errors: { path: string; message: string }[] }>(answer);
    expect(got.code).toBe('PART_MISSING');
    expect(got.errors).toEqual([
      { path: 'query.part1JobId', message: expect.stringContaining('No job') },
      { path: 'query.part2JobId', message: `Job ${other} belongs to another learner` },
      { path: 'query.part3JobId', message: `Job ${failedPart} FAILED (TRANSCRIPT_EMPTY); it has no band` },
    ]);

    const part1 = await succeeded('speaking', sampleSpeakingPartResult(1, [6, 6, 6, 6]));
    const wrongPart = await succeeded('speaking', sampleSpeakingPartResult(1, [6, 6, 6, 6]));
    const pending = await queued('speaking');
    const mixed = await get('/v1/speaking/test-band', {
      userId: USER,
      part1JobId: part1,
      part2JobId: wrongPart,
      part3JobId: pending,
    });
    // A part that can never fit makes it 422 even though another part is only pending.
    expect(mixed.statusCode).toBe(422);
    expect(body<{ code: string; errors: unknown[] }>(mixed)).toMatchObject({
      code: 'PART_MISMATCH',
      errors: [
        { path: 'query.part3JobId', message: expect.stringContaining('QUEUED') },
        { path: 'query.part2JobId', message: `Job ${wrongPart} assessed Speaking part 1, not part 2` },
      ],
    });
  });

  it('422 PART_MISMATCH for a Speaking job given as a Writing task and tasks given the wrong way round', async () => {
    const speaking = await succeeded('speaking', sampleSpeakingPartResult(1, [6, 6, 6, 6]));
    const task2 = await succeeded('writing', writingTask('task2', [6, 6, 6, 6]));
    const wrongKind = await get('/v1/writing/test-band', {
      userId: USER,
      task1JobId: speaking,
      task2JobId: task2,
    });
    expect(wrongKind.statusCode).toBe(422);
    expect(body<{ code: string }>(wrongKind).code).toBe('PART_MISMATCH');

    const task1 = await succeeded('writing', writingTask('task1-academic', [6, 6, 6, 6]));
    const swapped = await get('/v1/writing/test-band', {
      userId: USER,
      task1JobId: task2,
      task2JobId: task1,
    });
    expect(swapped.statusCode).toBe(422);
    expect(body<{ errors: { path: string }[] }>(swapped).errors.map((e) => e.path)).toEqual([
      'query.task1JobId',
      'query.task2JobId',
    ]);
  });

  it('400 for missing, malformed, unknown or repeated parameters', async () => {
    const missing = await get('/v1/speaking/test-band', { userId: USER, part1JobId: 'nope', extra: '1' });
    expect(missing.statusCode).toBe(400);
    expect(body<{ errors: { path: string }[] }>(missing).errors.map((e) => e.path)).toEqual([
      'query.part1JobId',
      'query.part2JobId',
      'query.part3JobId',
      'query.extra',
    ]);
    const id = await succeeded('writing', writingTask('task2', [6, 6, 6, 6]));
    const twice = await get('/v1/writing/test-band', { userId: USER, task1JobId: id, task2JobId: id });
    expect(twice.statusCode).toBe(400);
    expect(body(twice)).toEqual({
      message: 'Each part of a test must be a different job',
      errors: [{ path: 'query.task2JobId', message: 'Names the same job as task1JobId' }],
    });
  });
});
