import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FEEDBACK_LANGUAGE,
  feedbackLanguageOf,
  WRITING_CRITERIA,
  WRITING_TASK_TYPES,
  writingCriterionLabel,
} from '../src/index.js';

describe('Writing criterion names', () => {
  it('the first criterion is Task Achievement for Task 1 and Task Response for Task 2', () => {
    expect(writingCriterionLabel('taskAchievement', 'task1-academic')).toBe('Task Achievement');
    expect(writingCriterionLabel('taskAchievement', 'task1-general')).toBe('Task Achievement');
    expect(writingCriterionLabel('taskAchievement', 'task2')).toBe('Task Response');
  });

  it('the other three have the same public name for both tasks', () => {
    for (const taskType of WRITING_TASK_TYPES) {
      expect(WRITING_CRITERIA.slice(1).map((c) => writingCriterionLabel(c, taskType))).toEqual([
        'Coherence and Cohesion',
        'Lexical Resource',
        'Grammatical Range and Accuracy',
      ]);
    }
  });
});

describe('feedback language', () => {
  it('is the language the request asked for, else English', () => {
    expect(DEFAULT_FEEDBACK_LANGUAGE).toBe('en');
    expect(feedbackLanguageOf({})).toBe('en');
    expect(feedbackLanguageOf({ language: 'vi' })).toBe('vi');
  });
});
