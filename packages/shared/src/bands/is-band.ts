/** Lowest and highest IELTS band. */
export const MIN_BAND = 0;
export const MAX_BAND = 9;

/** The IELTS band scale as a list: 0, 0.5, 1, ..., 9. */
export const BANDS: readonly number[] = Array.from({ length: MAX_BAND * 2 + 1 }, (_, i) => i / 2);

/** `true` for 0 to 9 in steps of 0.5 (criterion, task, skill and overall bands are all on this scale). */
export function isBand(x: unknown): x is number {
  // Narrows the type; Number.isFinite below rejects non-numbers too, so dropping this check changes nothing.
  // Stryker disable next-line ConditionalExpression: equivalent, see above
  if (typeof x !== 'number') return false;
  return Number.isFinite(x) && x >= MIN_BAND && x <= MAX_BAND && Number.isInteger(x * 2);
}
