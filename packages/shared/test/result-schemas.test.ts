import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  FlashcardSetResultSchema,
  type JobMessageOf,
  JobMessageSchema,
  type JobRecord,
  JobRecordSchema,
  JobResultSchema,
  JobStatusResponseSchema,
  SpeakingResultSchema,
  toJobStatusResponse,
  type WritingAssessmentRequest,
  WritingResultSchema,
} from '../src/index.js';
import { errorPaths, fieldErrors, JOB_ID, USER, UUID } from './helpers.js';

const model = {
  modelId: 'google.gemma-3-12b-it',
  inputTokens: 1200,
  outputTokens: 450,
  latencyMs: 2300,
  calls: 1,
};
const criterion = (band: number) => ({
  band,
  feedback: 'Clear position throughout.',
  evidence: ['In conclusion'],
});

const writingResult = {
  taskType: 'task2',
  criteria: {
    taskAchievement: criterion(7),
    coherenceCohesion: criterion(7),
    lexicalResource: criterion(7),
    grammaticalRangeAccuracy: criterion(6),
  },
  taskBand: 6.5,
  strengths: ['Clear position'],
  improvements: ['Vary sentence openings'],
  examples: [
    {
      quote: 'technology have',
      issue: 'Agreement',
      suggestion: 'technology has',
      criterion: 'grammaticalRangeAccuracy',
    },
  ],
  droppedExamples: 0,
  wordCount: 268,
  underLength: false,
  minimumWords: 250,
  model,
};

const speakingResult = {
  part: 2,
  transcript: 'Well, I would like to describe a park near my house.',
  features: {
    durationSeconds: 92.4,
    wordCount: 180,
    wordsPerMinute: 116.9,
    pauseCount: 6,
    meanPauseSeconds: 0.9,
    fillerCount: 4,
    fillersPer100Words: 2.22,
    meanConfidence: 0.93,
  },
  criteria: {
    fluencyCoherence: { band: 6.5, feedback: 'Some hesitation.' },
    lexicalResource: { band: 6, feedback: 'Adequate range.' },
    grammaticalRangeAccuracy: { band: 6, feedback: 'Mostly simple forms.' },
    pronunciation: { band: 6.5, feedback: 'Generally clear.', estimated: true },
  },
  band: 6,
  model,
};

const flashcardResult = {
  cards: [
    {
      id: 'c1',
      question: 'What is photosynthesis?',
      answer: 'The process by which plants make glucose from light, water and CO2.',
      type: 'definition',
      difficulty: 'medium',
      citations: [{ chunkId: 'p1-c0', page: 1 }],
    },
  ],
  requestedCount: 1,
  retrieval: {
    queryMode: 'fallback',
    queries: ['photosynthesis'],
    chunksUsed: ['p1-c0'],
    scores: { 'p1-c0': 0.82 },
  },
  timings: { parse: 12, embed: 340, total: 2900 },
  model,
  embedding: { modelId: 'amazon.titan-embed-text-v2:0', dimensions: 1024, chunksEmbedded: 0, cacheHit: true },
};

describe('result schemas', () => {
  it('accept well-formed results of each kind, and the union accepts each', () => {
    expect(WritingResultSchema.parse(writingResult)).toEqual(writingResult);
    expect(SpeakingResultSchema.parse(speakingResult)).toEqual(speakingResult);
    expect(FlashcardSetResultSchema.parse(flashcardResult)).toEqual(flashcardResult);
    for (const result of [writingResult, speakingResult, flashcardResult]) {
      expect(JobResultSchema.safeParse(result).success).toBe(true);
    }
  });

  it('reject criterion bands that are not bands, naming each', () => {
    const bad = {
      ...writingResult,
      criteria: {
        ...writingResult.criteria,
        lexicalResource: criterion(6.3),
        coherenceCohesion: criterion(9.5),
      },
      taskBand: 6.25,
    };
    expect(errorPaths(WritingResultSchema, bad)).toEqual([
      'criteria.coherenceCohesion.band',
      'criteria.lexicalResource.band',
      'taskBand',
    ]);
  });

  it('reject unknown fields (a model-given overall band is a bug)', () => {
    expect(errorPaths(WritingResultSchema, { ...writingResult, overallBand: 7 })).toEqual(['overallBand']);
    const criteria = { ...writingResult.criteria, taskResponse: criterion(7) };
    expect(errorPaths(WritingResultSchema, { ...writingResult, criteria })).toEqual([
      'criteria.taskResponse',
    ]);
  });

  it('require pronunciation to be marked as an estimate', () => {
    const criteria = {
      ...speakingResult.criteria,
      pronunciation: { band: 6, feedback: 'x', estimated: false },
    };
    expect(errorPaths(SpeakingResultSchema, { ...speakingResult, criteria })).toEqual([
      'criteria.pronunciation.estimated',
    ]);
    expect(
      errorPaths(SpeakingResultSchema, {
        ...speakingResult,
        features: { ...speakingResult.features, meanConfidence: 1.2 },
      }),
    ).toEqual(['features.meanConfidence']);
  });

  it('require a shortfall reason when fewer cards than requested, and a citation on every card', () => {
    expect(errorPaths(FlashcardSetResultSchema, { ...flashcardResult, requestedCount: 5 })).toEqual([
      'shortfallReason',
    ]);
    expect(
      FlashcardSetResultSchema.safeParse({
        ...flashcardResult,
        requestedCount: 5,
        shortfallReason: 'Document too short',
      }).success,
    ).toBe(true);
    const uncited = { ...flashcardResult.cards[0], citations: [] };
    expect(errorPaths(FlashcardSetResultSchema, { ...flashcardResult, cards: [uncited] })).toEqual([
      'cards[0].citations',
    ]);
    const textCitation = { ...flashcardResult.cards[0], citations: [{ chunkId: 'p1-c0', page: null }] };
    expect(FlashcardSetResultSchema.safeParse({ ...flashcardResult, cards: [textCitation] }).success).toBe(
      true,
    );
    expect(
      errorPaths(FlashcardSetResultSchema, {
        ...flashcardResult,
        retrieval: { ...flashcardResult.retrieval, queryMode: 'keywords' },
      }),
    ).toEqual(['retrieval.queryMode']);
  });
});

describe('result invariants', () => {
  it('requires the reported band to be the shared maths result', () => {
    expect(fieldErrors(WritingResultSchema, { ...writingResult, taskBand: 7 })).toEqual([
      { path: 'taskBand', message: 'Must be taskBand(7, 7, 7, 6) = 6.5, not 7' },
    ]);
    expect(fieldErrors(SpeakingResultSchema, { ...speakingResult, band: 6.5 })).toEqual([
      { path: 'band', message: 'Must be taskBand(6.5, 6, 6, 6.5) = 6, not 6.5' },
    ]);
  });

  it('keeps the word-count fields consistent with the task type', () => {
    expect(errorPaths(WritingResultSchema, { ...writingResult, wordCount: 120 })).toEqual(['underLength']);
    expect(
      WritingResultSchema.safeParse({ ...writingResult, wordCount: 120, underLength: true }).success,
    ).toBe(true);
    expect(errorPaths(WritingResultSchema, { ...writingResult, minimumWords: 150 })).toEqual([
      'minimumWords',
    ]);
  });

  it('accepts only citations of chunks given to the model, unique card ids and no extra cards', () => {
    const card = flashcardResult.cards[0]!;
    const unknownChunk = { ...card, citations: [{ chunkId: 'p9-c9', page: 9 }] };
    expect(fieldErrors(FlashcardSetResultSchema, { ...flashcardResult, cards: [unknownChunk] })).toEqual([
      {
        path: 'cards[0].citations[0].chunkId',
        message: 'Cites chunk "p9-c9", which is not in retrieval.chunksUsed',
      },
    ]);
    expect(
      errorPaths(FlashcardSetResultSchema, { ...flashcardResult, requestedCount: 2, cards: [card, card] }),
    ).toEqual(['cards[1].id']);
    expect(
      errorPaths(FlashcardSetResultSchema, { ...flashcardResult, cards: [card, { ...card, id: 'c2' }] }),
    ).toEqual(['cards']);
  });

  it('accepts the query model usage only when the queries came from the model', () => {
    expect(errorPaths(FlashcardSetResultSchema, { ...flashcardResult, queryModel: model })).toEqual([
      'queryModel',
    ]);
    const retrieval = { ...flashcardResult.retrieval, queryMode: 'model' };
    expect(
      FlashcardSetResultSchema.safeParse({ ...flashcardResult, retrieval, queryModel: model }).success,
    ).toBe(true);
  });
});

describe('JobMessageSchema', () => {
  const writingPayload: WritingAssessmentRequest = {
    userId: USER,
    taskType: 'task2',
    prompt: 'Discuss both views and give your own opinion.',
    essay: 'Technology shapes modern life in many ways. '.repeat(10),
  };
  const message = {
    jobId: JOB_ID,
    kind: 'writing',
    userId: USER,
    principal: 'arn:aws:sts::123456789012:assumed-role/bandup-dev-backend-task/abc',
    submittedAt: '2026-11-29T02:00:00.000Z',
    payload: writingPayload,
  };

  it('parses a message and narrows on kind', () => {
    const parsed = JobMessageSchema.parse(message);
    expect(parsed.kind).toBe('writing');
    if (parsed.kind === 'writing') expectTypeOf(parsed).toEqualTypeOf<JobMessageOf<'writing'>>();
    expectTypeOf<JobMessageOf<'speaking'>['payload']['part']>().toEqualTypeOf<1 | 2 | 3>();
  });

  it("checks the payload against its kind's schema, with nested paths", () => {
    expect(errorPaths(JobMessageSchema, { ...message, kind: 'flashcards' })).toEqual(
      expect.arrayContaining(['payload.documentKey', 'payload.count']),
    );
    expect(errorPaths(JobMessageSchema, { ...message, kind: 'reading' })).toEqual(['kind']);
    expect(errorPaths(JobMessageSchema, { ...message, jobId: 'nope', submittedAt: 'yesterday' })).toEqual([
      'jobId',
      'submittedAt',
    ]);
    const speaking = {
      ...message,
      kind: 'speaking',
      payload: {
        userId: USER,
        part: 1,
        questions: ['ok', ''],
        audioKey: `uploads/speaking/${USER}/${UUID}.mp3`,
      },
    };
    expect(errorPaths(JobMessageSchema, speaking)).toEqual(['payload.questions[1]']);
  });
});

describe('JobRecordSchema and JobStatusResponseSchema', () => {
  const record: JobRecord = {
    jobId: JOB_ID,
    userId: USER,
    kind: 'writing',
    status: 'SUCCEEDED',
    createdAt: '2026-11-29T02:00:00.000Z',
    updatedAt: '2026-11-29T02:00:09.000Z',
    startedAt: '2026-11-29T02:00:01.000Z',
    finishedAt: '2026-11-29T02:00:09.000Z',
    attempts: 1,
    idempotencyKey: 'submit-0001',
    requestHash: 'sha256:abc',
    result: WritingResultSchema.parse(writingResult),
    expiresAt: 1_767_225_600,
    principal: 'arn:aws:sts::123456789012:assumed-role/backend/abc',
  };

  it('parses a stored record and turns it into the public status body', () => {
    expect(JobRecordSchema.parse(record)).toEqual(record);
    const status = toJobStatusResponse(record);
    expect(JobStatusResponseSchema.parse(status)).toEqual(status);
    expect(status).not.toHaveProperty('principal');
    expect(status).not.toHaveProperty('userId');
    expect(status).not.toHaveProperty('idempotencyKey');
    expect(status.result).toEqual(record.result);
  });

  it('uses a result loaded from S3 when the record only has a pointer', () => {
    const { result, ...rest } = record;
    const pointed: JobRecord = { ...rest, resultPointer: `results/${JOB_ID}.json` };
    expect(toJobStatusResponse(pointed)).not.toHaveProperty('result');
    expect(toJobStatusResponse(pointed, result).result).toEqual(result);
    expect(errorPaths(JobRecordSchema, { ...pointed, resultPointer: 'uploads/x.json' })).toEqual([
      'resultPointer',
    ]);
  });

  it("requires a result when SUCCEEDED, an error when FAILED, and a result of the job's kind", () => {
    const { result: _result, ...withoutResult } = record;
    expect(errorPaths(JobRecordSchema, withoutResult)).toEqual(['result']);
    expect(errorPaths(JobRecordSchema, { ...withoutResult, status: 'FAILED' })).toEqual(['error']);
    expect(JobRecordSchema.safeParse({ ...withoutResult, status: 'RUNNING' }).success).toBe(true);
    expect(fieldErrors(JobRecordSchema, { ...record, kind: 'speaking' })).toEqual([
      { path: 'result', message: 'Not a result of a speaking job' },
    ]);
    const status = toJobStatusResponse(record);
    expect(errorPaths(JobStatusResponseSchema, { ...status, result: undefined })).toEqual(['result']);
    expect(errorPaths(JobStatusResponseSchema, { ...status, kind: 'flashcards' })).toEqual(['result']);
  });

  it('rejects bad statuses, error codes and TTLs', () => {
    const bad = { ...record, status: 'DONE', expiresAt: -1, error: { code: 'OOPS', message: 'x' } };
    expect(errorPaths(JobRecordSchema, bad)).toEqual(['error.code', 'expiresAt', 'status']);
    const failed = {
      ...record,
      status: 'FAILED',
      result: undefined,
      error: { code: 'MODEL_OUTPUT_INVALID', message: 'x' },
    };
    expect(JobRecordSchema.safeParse(failed).success).toBe(true);
  });
});
