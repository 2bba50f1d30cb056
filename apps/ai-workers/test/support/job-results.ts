import { type FlashcardSetResult, type SpeakingResult, taskBand, type WritingResult } from '@bandup/shared';

/** A Writing result that satisfies the shared schema: what a trivial test worker returns. */
export function sampleWritingResult(overrides: Partial<WritingResult> = {}): WritingResult {
  const criterion = { band: 6.5, feedback: 'Clear position, developed ideas.', evidence: [] };
  return {
    taskType: 'task2',
    criteria: {
      taskAchievement: criterion,
      coherenceCohesion: criterion,
      lexicalResource: { ...criterion, band: 6 },
      grammaticalRangeAccuracy: { ...criterion, band: 7 },
    },
    taskBand: 6.5,
    strengths: ['A clear overall position'],
    improvements: ['Vary sentence openings'],
    examples: [],
    wordCount: 270,
    underLength: false,
    minimumWords: 250,
    model: {
      modelId: 'google.gemma-3-12b-it',
      inputTokens: 900,
      outputTokens: 400,
      latencyMs: 1200,
      calls: 1,
    },
    ...overrides,
  };
}

const MODEL_USAGE = {
  modelId: 'google.gemma-3-12b-it',
  inputTokens: 900,
  outputTokens: 400,
  latencyMs: 1200,
  calls: 1,
};

/** A Speaking (part 2) result that satisfies the shared schema (band = taskBand of the criteria). */
export function sampleSpeakingResult(overrides: Partial<SpeakingResult> = {}): SpeakingResult {
  return {
    part: 2,
    transcript: 'I would like to describe a journey I made last summer.',
    features: {
      durationSeconds: 95,
      wordCount: 180,
      wordsPerMinute: 113.7,
      pauseCount: 4,
      meanPauseSeconds: 0.8,
      fillerCount: 3,
      fillersPer100Words: 1.7,
      meanConfidence: 0.93,
    },
    criteria: {
      fluencyCoherence: { band: 6, feedback: 'Mostly fluent.' },
      lexicalResource: { band: 7, feedback: 'Some less common words.' },
      grammaticalRangeAccuracy: { band: 6, feedback: 'Mix of simple and complex forms.' },
      pronunciation: { band: 7, feedback: 'Generally clear.', estimated: true },
    },
    band: 6.5,
    model: MODEL_USAGE,
    ...overrides,
  };
}

/** A flashcard set of `cards` cards out of `requested`, satisfying the shared schema. */
export function sampleFlashcardSetResult(cards = 2, requested = 10): FlashcardSetResult {
  return {
    cards: Array.from({ length: cards }, (_, i) => ({
      id: `card-${i}`,
      question: `Question ${i}?`,
      answer: `Answer ${i}.`,
      type: 'definition',
      difficulty: 'easy',
      citations: [{ chunkId: 'chunk-0', page: 1 }],
    })),
    requestedCount: requested,
    ...(cards < requested ? { shortfallReason: 'The document is short' } : {}),
    retrieval: {
      queryMode: 'fallback',
      queries: ['topic'],
      chunksUsed: ['chunk-0'],
      scores: { 'chunk-0': 0.9 },
    },
    timings: { total: 1000 },
    model: MODEL_USAGE,
    embedding: {
      modelId: 'amazon.titan-embed-text-v2:0',
      dimensions: 512,
      chunksEmbedded: 3,
      cacheHit: false,
    },
  };
}

/** A Speaking result of one part with the given criterion bands (fc, lr, gra, p); the band by the shared maths. */
export function sampleSpeakingPartResult(
  part: 1 | 2 | 3,
  [fc, lr, gra, p]: readonly [number, number, number, number],
): SpeakingResult {
  return {
    part,
    transcript: 'I usually go to the beach near my hometown because it is quiet.',
    features: {
      durationSeconds: 40,
      wordCount: 90,
      wordsPerMinute: 135,
      pauseCount: 3,
      meanPauseSeconds: 0.8,
      fillerCount: 2,
      fillersPer100Words: 2.2,
      meanConfidence: 0.93,
    },
    criteria: {
      fluencyCoherence: { band: fc, feedback: 'Speaks at length.' },
      lexicalResource: { band: lr, feedback: 'Adequate range.' },
      grammaticalRangeAccuracy: { band: gra, feedback: 'Mix of structures.' },
      pronunciation: { band: p, feedback: 'Estimated: generally clear.', estimated: true },
    },
    band: taskBand([fc, lr, gra, p]),
    model: {
      modelId: 'google.gemma-3-12b-it',
      inputTokens: 800,
      outputTokens: 300,
      latencyMs: 900,
      calls: 1,
    },
  };
}
