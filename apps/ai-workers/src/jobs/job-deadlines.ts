/**
 * When an unfinished job counts as lost. Every QUEUED/RUNNING job carries `deadlineAt` (epoch ms) in
 * the sparse `by-deadline` index; the sweeper resolves jobs past it. The budgets sit well above what
 * the queue machinery itself needs (at most `maxReceiveCount` x visibility timeout, 90 minutes for a
 * flashcard job with the defaults), so the sweeper never races a job that SQS is still retrying: it
 * only catches what nothing else will finish (a lost message, a lost Transcribe event).
 */
export const JOB_DEADLINES = {
  /** From creation, and again from each start: queue wait plus every retry. */
  queueMs: 3 * 3600_000,
  /** From the moment a Speaking job starts waiting for Amazon Transcribe. */
  transcribeMs: 3600_000,
  /** A job older than this is failed `TIMED_OUT` even if Transcribe still reports it in progress. */
  maxAgeMs: 6 * 3600_000,
  /** How far the sweeper pushes the deadline after it acted (re-sent an event, saw work in progress). */
  sweepRetryMs: 30 * 60_000,
} as const;

/** The value of the sparse index's partition key on unfinished jobs. */
export const SWEEP_SHARD = 'ACTIVE';
