import type { WritingResult } from '@bandup/shared';

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
