import { JOB_RESULT_SCHEMAS, type JobKind, type JobResultSummary } from '@bandup/shared';
import { describeIssues } from './describe-issues.js';

/** A stored result that does not match its kind's schema (the job store validates it, so a bug). */
export class InvalidStoredResultError extends Error {
  override readonly name = 'InvalidStoredResultError';
}

/**
 * The few fields of a result an event carries: the bands of an assessment (task band and criteria,
 * all from the shared band maths, as the result holds them) or the card count of a flashcard set.
 */
export function summarizeResult(kind: JobKind, jobId: string, result: unknown): JobResultSummary {
  const checked = JOB_RESULT_SCHEMAS[kind].safeParse(result);
  if (!checked.success) {
    throw new InvalidStoredResultError(
      `Job ${jobId}: stored result is not a ${kind} result: ${describeIssues(checked.error)}`,
    );
  }
  const value = checked.data;
  if ('taskType' in value) {
    const c = value.criteria;
    return {
      kind: 'writing',
      taskType: value.taskType,
      band: value.taskBand,
      criteria: {
        taskAchievement: c.taskAchievement.band,
        coherenceCohesion: c.coherenceCohesion.band,
        lexicalResource: c.lexicalResource.band,
        grammaticalRangeAccuracy: c.grammaticalRangeAccuracy.band,
      },
      wordCount: value.wordCount,
      underLength: value.underLength,
    };
  }
  if ('part' in value) {
    const c = value.criteria;
    return {
      kind: 'speaking',
      part: value.part,
      band: value.band,
      criteria: {
        fluencyCoherence: c.fluencyCoherence.band,
        lexicalResource: c.lexicalResource.band,
        grammaticalRangeAccuracy: c.grammaticalRangeAccuracy.band,
        pronunciation: c.pronunciation.band,
      },
    };
  }
  return { kind: 'flashcards', cardCount: value.cards.length, requestedCount: value.requestedCount };
}
