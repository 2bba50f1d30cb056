import { type SpeakingResult, taskBand, type WritingResult } from '@bandup/shared';

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

/** A Speaking result of one part with the given criterion bands (fc, lr, gra, p); the band by the shared maths. */
export function sampleSpeakingResult(
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
