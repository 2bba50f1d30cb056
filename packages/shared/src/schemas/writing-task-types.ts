/**
 * IELTS Writing task types. Kept apart from the request schema so that result and event schemas can
 * name them without building the request schemas (and their upload-key checks) at every cold start.
 */
export const WRITING_TASK_TYPES = ['task1-academic', 'task1-general', 'task2'] as const;
export type WritingTaskType = (typeof WRITING_TASK_TYPES)[number];
