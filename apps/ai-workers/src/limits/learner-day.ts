/**
 * A learner's calendar day at a fixed UTC offset (Vietnam has no daylight saving time, so a fixed
 * offset is exact there): the day's `YYYY-MM-DD` label and the instant the next day starts.
 */
export interface LearnerDay {
  readonly label: string;
  /** When the next day starts (the limit resets). */
  readonly endsAt: Date;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export function learnerDay(at: Date, utcOffsetMinutes: number): LearnerDay {
  const shifted = at.getTime() + utcOffsetMinutes * MINUTE_MS;
  const dayStartShifted = Math.floor(shifted / DAY_MS) * DAY_MS;
  return {
    label: new Date(dayStartShifted).toISOString().slice(0, 10),
    endsAt: new Date(dayStartShifted + DAY_MS - utcOffsetMinutes * MINUTE_MS),
  };
}

/** Whole seconds from `at` until the day ends, at least 1 (a `Retry-After` value). */
export function secondsUntilDayEnds(at: Date, day: LearnerDay): number {
  return Math.max(1, Math.ceil((day.endsAt.getTime() - at.getTime()) / 1000));
}
