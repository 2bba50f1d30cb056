/**
 * How the active-passive failover alarm and the standby's range are derived, so that
 * - one primary task being replaced never fails over (the replacement is the ALB's unhealthy
 *   detection, then the new task's health-check grace period, then its healthy detection), and
 * - a real failover gives the standby at least the primary's capacity at that moment.
 */

/** How long one primary task is missing from the healthy count while ECS replaces it. */
export interface TaskReplacement {
  /** ALB unhealthy threshold x interval (45 s). */
  readonly unhealthySeconds: number;
  /** The service's health-check grace period (the new task's start-up). */
  readonly graceSeconds: number;
  /** ALB healthy threshold x interval (30 s). */
  readonly healthySeconds: number;
}

export interface FailoverAlarmSettings {
  /** `HealthyHostCount < threshold` in the primary AZ is a failure. */
  readonly threshold: number;
  /** 1-minute periods, all breaching (`datapointsToAlarm` = `evaluationPeriods`). */
  readonly evaluationPeriods: number;
  /** Healthy targets one replacement may take away without a breach. */
  readonly toleratedReplacements: number;
}

export const ALARM_PERIOD_SECONDS = 60;
/** Fastest detection: two breaching minutes in a row (one bad minute can be a sampling artefact). */
const MIN_FAILOVER_MINUTES = 2;

function replacementSeconds(r: TaskReplacement): number {
  return r.unhealthySeconds + r.graceSeconds + r.healthySeconds;
}

/**
 * With a primary of at least two tasks, the threshold is one below its minimum, so one task being
 * replaced never breaches and failover is detected in two minutes. A one-task primary cannot
 * tolerate a missing task by count, so its window outlasts a replacement instead: a dip of D
 * seconds touches at most ceil(D / 60) + 1 one-minute periods (Minimum statistic), and the alarm
 * needs one period more than that.
 */
export function failoverAlarmSettings(
  primaryMinimum: number,
  replacement: TaskReplacement,
): FailoverAlarmSettings {
  if (!Number.isInteger(primaryMinimum) || primaryMinimum < 1) {
    throw new Error(`Failover: the primary's minimum must be a whole number >= 1, got ${primaryMinimum}`);
  }
  if (primaryMinimum >= 2) {
    return {
      threshold: primaryMinimum - 1,
      evaluationPeriods: MIN_FAILOVER_MINUTES,
      toleratedReplacements: 1,
    };
  }
  const periodsTouched = Math.ceil(replacementSeconds(replacement) / ALARM_PERIOD_SECONDS) + 1;
  return {
    threshold: 1,
    evaluationPeriods: Math.max(MIN_FAILOVER_MINUTES, periodsTouched + 1),
    toleratedReplacements: 0,
  };
}

/**
 * The standby's scaling range: its warm count at rest, and on failover the primary's maximum. The
 * primary's size at the moment of failure is not visible to a step policy (only the alarm's
 * metric is), and it is never above its maximum: setting the standby to that maximum restores the
 * primary's current capacity whatever its autoscaling had reached. The price is running up to
 * `max - current` extra tasks for the duration of a failover.
 */
export function standbyRange(primary: { readonly maxCount: number }, warmCount: number) {
  if (warmCount >= primary.maxCount) {
    throw new Error(
      `Failover: the standby's warm count (${warmCount}) must be below the primary's maximum (${primary.maxCount})`,
    );
  }
  return { min: warmCount, max: primary.maxCount, failoverCount: primary.maxCount };
}
