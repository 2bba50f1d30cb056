import {
  DEFAULT_LEARNER_TIER,
  type JobKind,
  type LearnerTier,
  SUBMISSION_COUNTERS_TABLE,
  type SubmissionLimits,
} from '@bandup/shared';
import type { DocumentTable } from '../clients/document-table.js';
import { learnerDay, secondsUntilDayEnds } from './learner-day.js';

/** One counted submission; hand it back to `release` when no job came of it. */
export interface SubmissionSlot {
  readonly counterId: string;
  /** The count after this submission (1 = the learner's first of the day for this kind). */
  readonly used: number;
  readonly limit: number;
}

/** The learner has used up today's submissions of this kind. */
export class DailyLimitReachedError extends Error {
  override readonly name = 'DailyLimitReachedError';
  constructor(
    readonly kind: JobKind,
    readonly tier: LearnerTier,
    readonly limit: number,
    /** Seconds until the learner's next day starts. */
    readonly retryAfterSeconds: number,
  ) {
    super(
      limit === 0
        ? `${kind} submissions are not available on the ${tier} tier`
        : `Daily limit of ${limit} ${kind} submission(s) for the ${tier} tier reached; it resets at the start of the learner's next day`,
    );
  }
}

export interface DailySubmissionCounterConfig {
  readonly tableName: string;
  readonly limits: SubmissionLimits;
  readonly now?: () => Date;
}

/** Counters outlive their day by this much (TTL), so a late release still finds its item. */
const COUNTER_GRACE_SECONDS = 24 * 3600;

/**
 * Per-learner daily submission limits with one atomic DynamoDB counter per learner, kind and day:
 * `ADD used 1` under the condition that `used` is still below the limit. Concurrent submissions
 * cannot overshoot (DynamoDB serialises updates of an item), and a new day is a new item, so the
 * limit resets at the learner's midnight without any reset job.
 */
export class DailySubmissionCounter {
  private readonly now: () => Date;

  constructor(
    private readonly table: DocumentTable,
    private readonly config: DailySubmissionCounterConfig,
  ) {
    this.now = config.now ?? (() => new Date());
  }

  /** Counts one submission or throws `DailyLimitReachedError` (the count is then unchanged). */
  async consume(input: {
    readonly userId: string;
    readonly kind: JobKind;
    readonly tier?: LearnerTier;
  }): Promise<SubmissionSlot> {
    const tier = input.tier ?? DEFAULT_LEARNER_TIER;
    const limit = this.config.limits.tiers[tier][input.kind];
    const at = this.now();
    const day = learnerDay(at, this.config.limits.utcOffsetMinutes);
    if (limit === 0) throw new DailyLimitReachedError(input.kind, tier, 0, secondsUntilDayEnds(at, day));
    const counterId = `${input.userId}#${input.kind}#${day.label}`;
    try {
      const answer = await this.table.update({
        TableName: this.config.tableName,
        Key: { [SUBMISSION_COUNTERS_TABLE.partitionKey]: counterId },
        UpdateExpression: 'ADD used :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
        ConditionExpression: 'attribute_not_exists(used) OR used < :limit',
        ExpressionAttributeValues: {
          ':one': 1,
          ':limit': limit,
          ':expiresAt': Math.floor(day.endsAt.getTime() / 1000) + COUNTER_GRACE_SECONDS,
        },
        ReturnValues: 'UPDATED_NEW',
      });
      return { counterId, used: Number(answer.Attributes?.used), limit };
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') {
        throw new DailyLimitReachedError(input.kind, tier, limit, secondsUntilDayEnds(at, day));
      }
      throw error;
    }
  }

  /**
   * Gives a slot back: the submission created no job (an idempotent replay, or a job that could
   * not be queued). Never below zero.
   */
  async release(slot: SubmissionSlot): Promise<void> {
    try {
      await this.table.update({
        TableName: this.config.tableName,
        Key: { [SUBMISSION_COUNTERS_TABLE.partitionKey]: slot.counterId },
        UpdateExpression: 'ADD used :minusOne',
        ConditionExpression: 'used > :zero',
        ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
      });
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    }
  }
}
