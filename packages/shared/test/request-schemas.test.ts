import { describe, expect, it } from 'vitest';
import {
  countWords,
  FlashcardSetRequestSchema,
  IdempotencyKeySchema,
  JobIdSchema,
  SpeakingAssessmentRequestSchema,
  UPLOAD_LIMITS,
  UploadRequestSchema,
  UserIdSchema,
  WritingAssessmentRequestSchema,
} from '../src/index.js';
import { errorPaths, fieldErrors, USER, UUID } from './helpers.js';

const essay = `${'Some people believe that technology has made our lives more complicated. '.repeat(20)}`;

const writing = {
  userId: USER,
  taskType: 'task2',
  prompt: 'Some people think that technology makes life more complex. Discuss both views.',
  essay,
};

const speaking = {
  userId: USER,
  part: 2,
  questions: ['Describe a place you like to visit.', 'Why do you like it?'],
  audioKey: `uploads/speaking/${USER}/${UUID}.webm`,
};

const flashcards = {
  userId: USER,
  documentKey: `uploads/documents/${USER}/${UUID}.pdf`,
  count: 10,
  difficulty: 'medium',
  cardTypes: ['definition', 'fill-in-the-blank'],
  topicHint: 'photosynthesis',
};

describe('countWords', () => {
  it('counts visible words only: zero-width and other invisible characters are not words', () => {
    expect(countWords('one two')).toBe(2);
    expect(countWords(`one ${'\u200b '.repeat(50)}two \ufeff \u2060\u200d`)).toBe(2);
    expect(countWords('\u200b\u200b')).toBe(0);
  });
});

describe('WritingAssessmentRequestSchema', () => {
  it('accepts a valid Task 2 request and an Academic Task 1 with a visual description', () => {
    expect(WritingAssessmentRequestSchema.parse(writing)).toEqual(writing);
    const task1 = {
      ...writing,
      taskType: 'task1-academic',
      visualDescription: 'A bar chart of ...',
      attemptId: 'a-1',
    };
    expect(WritingAssessmentRequestSchema.parse(task1)).toEqual(task1);
  });

  it('lists every bad field, one path each', () => {
    const bad = { ...writing, taskType: 'task3', prompt: 'short', essay: 'x'.repeat(12_001) };
    expect(errorPaths(WritingAssessmentRequestSchema, bad)).toEqual(['essay', 'prompt', 'taskType']);
  });

  it('lists missing fields and unknown fields by name', () => {
    const { essay: _essay, ...withoutEssay } = writing;
    expect(
      fieldErrors(WritingAssessmentRequestSchema, { ...withoutEssay, essayText: 'x', score: 9 }),
    ).toEqual(
      expect.arrayContaining([
        { path: 'essay', message: expect.any(String) },
        { path: 'essayText', message: 'Unknown field' },
        { path: 'score', message: 'Unknown field' },
      ]),
    );
  });

  it('rejects an oversize essay by characters and by words', () => {
    expect(errorPaths(WritingAssessmentRequestSchema, { ...writing, essay: 'x'.repeat(12_001) })).toEqual([
      'essay',
    ]);
    const tooManyWords = fieldErrors(WritingAssessmentRequestSchema, {
      ...writing,
      essay: 'a '.repeat(2001),
    });
    expect(tooManyWords).toEqual([{ path: 'essay', message: 'Must have at most 2000 words' }]);
    expect(WritingAssessmentRequestSchema.safeParse({ ...writing, essay: 'a '.repeat(2000) }).success).toBe(
      true,
    );
  });

  it('rejects a blank essay and a too-short one', () => {
    expect(errorPaths(WritingAssessmentRequestSchema, { ...writing, essay: ' '.repeat(30) })).toEqual([
      'essay',
    ]);
    expect(errorPaths(WritingAssessmentRequestSchema, { ...writing, essay: 'too short' })).toEqual(['essay']);
  });

  it('allows visualDescription only for Academic Task 1, reported with the other errors', () => {
    expect(fieldErrors(WritingAssessmentRequestSchema, { ...writing, visualDescription: 'A chart' })).toEqual(
      [{ path: 'visualDescription', message: 'Only allowed when taskType is "task1-academic", not "task2"' }],
    );
    expect(
      errorPaths(WritingAssessmentRequestSchema, {
        ...writing,
        taskType: 'task1-general',
        prompt: 'short',
        visualDescription: 'A chart',
      }),
    ).toEqual(['prompt', 'visualDescription']);
  });

  it('rejects a body that is not an object at the root', () => {
    expect(errorPaths(WritingAssessmentRequestSchema, 'essay')).toEqual(['(root)']);
    expect(errorPaths(WritingAssessmentRequestSchema, null)).toEqual(['(root)']);
  });
});

describe('SpeakingAssessmentRequestSchema', () => {
  it('accepts every allowed audio extension', () => {
    for (const ext of ['mp3', 'm4a', 'wav', 'webm', 'ogg', 'flac']) {
      const body = { ...speaking, audioKey: `uploads/speaking/${USER}/${UUID}.${ext}` };
      expect(SpeakingAssessmentRequestSchema.safeParse(body).success, ext).toBe(true);
    }
  });

  it('names the exact question that is blank, with the other bad fields', () => {
    const bad = { ...speaking, part: 4, questions: ['Q1', 'Q2', '   '], audioKey: 'uploads/speaking/x.mp3' };
    expect(errorPaths(SpeakingAssessmentRequestSchema, bad)).toEqual(['audioKey', 'part', 'questions[2]']);
  });

  it('limits the number of questions to 1-20', () => {
    expect(errorPaths(SpeakingAssessmentRequestSchema, { ...speaking, questions: [] })).toEqual([
      'questions',
    ]);
    const many = Array.from({ length: 21 }, (_, i) => `Question ${i}`);
    expect(errorPaths(SpeakingAssessmentRequestSchema, { ...speaking, questions: many })).toEqual([
      'questions',
    ]);
    expect(SpeakingAssessmentRequestSchema.safeParse({ ...speaking, questions: many.slice(1) }).success).toBe(
      true,
    );
  });

  it('rejects keys with a disallowed extension, another kind, or path tricks', () => {
    for (const audioKey of [
      `uploads/speaking/${USER}/${UUID}.pdf`,
      `uploads/documents/${USER}/${UUID}.mp3`,
      `uploads/speaking/${USER}/../other/${UUID}.mp3`,
      `uploads/speaking/${USER}/${UUID}.MP3`,
      `uploads/speaking/${USER}/not-a-uuid.mp3`,
      `/uploads/speaking/${USER}/${UUID}.mp3`,
    ]) {
      expect(errorPaths(SpeakingAssessmentRequestSchema, { ...speaking, audioKey }), audioKey).toEqual([
        'audioKey',
      ]);
    }
  });

  it("rejects another user's recording on the key field, alongside other errors", () => {
    const audioKey = `uploads/speaking/someone-else/${UUID}.mp3`;
    expect(fieldErrors(SpeakingAssessmentRequestSchema, { ...speaking, audioKey })).toEqual([
      { path: 'audioKey', message: `Object key belongs to user "someone-else", not to userId "${USER}"` },
    ]);
    expect(errorPaths(SpeakingAssessmentRequestSchema, { ...speaking, audioKey, questions: [''] })).toEqual([
      'audioKey',
      'questions[0]',
    ]);
  });
});

describe('FlashcardSetRequestSchema', () => {
  it('accepts a valid request and the count limits 1 and 50', () => {
    expect(FlashcardSetRequestSchema.parse(flashcards)).toEqual(flashcards);
    expect(FlashcardSetRequestSchema.safeParse({ ...flashcards, count: 1 }).success).toBe(true);
    expect(FlashcardSetRequestSchema.safeParse({ ...flashcards, count: 50 }).success).toBe(true);
  });

  it.each([0, 51, 2.5, -1, '10'])('rejects count %j', (count) => {
    expect(errorPaths(FlashcardSetRequestSchema, { ...flashcards, count })).toEqual(['count']);
  });

  it('rejects empty, repeated and unknown card types', () => {
    expect(errorPaths(FlashcardSetRequestSchema, { ...flashcards, cardTypes: [] })).toEqual(['cardTypes']);
    expect(
      fieldErrors(FlashcardSetRequestSchema, { ...flashcards, cardTypes: ['definition', 'definition'] }),
    ).toEqual([{ path: 'cardTypes', message: 'Must not repeat a card type' }]);
    expect(
      errorPaths(FlashcardSetRequestSchema, { ...flashcards, cardTypes: ['definition', 'essay'] }),
    ).toEqual(['cardTypes[1]']);
  });

  it('lists every bad field at once', () => {
    const bad = {
      ...flashcards,
      documentKey: `uploads/documents/${USER}/${UUID}.docx`,
      count: 0,
      difficulty: 'extreme',
      topicHint: 'x'.repeat(201),
    };
    expect(errorPaths(FlashcardSetRequestSchema, bad)).toEqual([
      'count',
      'difficulty',
      'documentKey',
      'topicHint',
    ]);
  });

  it("rejects another user's document", () => {
    const documentKey = `uploads/documents/intruder/${UUID}.txt`;
    expect(errorPaths(FlashcardSetRequestSchema, { ...flashcards, documentKey })).toEqual(['documentKey']);
  });
});

describe('UploadRequestSchema', () => {
  const audio = { userId: USER, kind: 'speaking', contentType: 'audio/mpeg', sizeBytes: 1_000_000 };
  const doc = { userId: USER, kind: 'documents', contentType: 'application/pdf', sizeBytes: 1_000_000 };

  it('accepts every allowed type of each kind at the size limit', () => {
    for (const kind of ['speaking', 'documents'] as const) {
      for (const contentType of Object.keys(UPLOAD_LIMITS[kind].contentTypes)) {
        const body = { userId: USER, kind, contentType, sizeBytes: UPLOAD_LIMITS[kind].maxBytes };
        expect(UploadRequestSchema.safeParse(body).success, `${kind} ${contentType}`).toBe(true);
      }
    }
  });

  it('checks the content type and size against the kind', () => {
    expect(errorPaths(UploadRequestSchema, { ...audio, contentType: 'application/pdf' })).toEqual([
      'contentType',
    ]);
    expect(errorPaths(UploadRequestSchema, { ...doc, contentType: 'audio/mpeg' })).toEqual(['contentType']);
    expect(errorPaths(UploadRequestSchema, { ...audio, sizeBytes: 25 * 1024 * 1024 + 1 })).toEqual([
      'sizeBytes',
    ]);
    expect(errorPaths(UploadRequestSchema, { ...doc, sizeBytes: 20 * 1024 * 1024 + 1 })).toEqual([
      'sizeBytes',
    ]);
    expect(errorPaths(UploadRequestSchema, { ...doc, sizeBytes: 0 })).toEqual(['sizeBytes']);
    expect(errorPaths(UploadRequestSchema, { ...doc, contentType: 'text/html', sizeBytes: -5 })).toEqual([
      'contentType',
      'sizeBytes',
    ]);
  });

  it('rejects an unknown kind on the kind field', () => {
    expect(errorPaths(UploadRequestSchema, { ...audio, kind: 'video' })).toEqual(['kind']);
  });
});

describe('ids', () => {
  it.each(['a', 'user_1', 'A-b_C', 'x'.repeat(128)])('UserIdSchema accepts %s', (id) => {
    expect(UserIdSchema.safeParse(id).success).toBe(true);
  });
  it.each(['', 'x'.repeat(129), 'a/b', '../x', 'a b', 'ü', 'a.b'])('UserIdSchema rejects %j', (id) => {
    expect(UserIdSchema.safeParse(id).success).toBe(false);
  });
  it('IdempotencyKeySchema takes 8-128 printable characters without spaces', () => {
    expect(IdempotencyKeySchema.safeParse('req-2026-11-29:abc').success).toBe(true);
    expect(IdempotencyKeySchema.safeParse('short').success).toBe(false);
    expect(IdempotencyKeySchema.safeParse('has a space here').success).toBe(false);
    expect(IdempotencyKeySchema.safeParse('tab\there-123').success).toBe(false);
    expect(IdempotencyKeySchema.safeParse('k'.repeat(129)).success).toBe(false);
  });
  it('JobIdSchema takes UUIDs only', () => {
    expect(JobIdSchema.safeParse(crypto.randomUUID()).success).toBe(true);
    expect(JobIdSchema.safeParse('job-1').success).toBe(false);
  });
});
