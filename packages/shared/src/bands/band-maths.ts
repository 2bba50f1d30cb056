import { BandError } from './band-error.js';
import { isBand, MAX_BAND, MIN_BAND } from './is-band.js';

/*
 * IELTS band arithmetic. Every input band is a multiple of 0.5, so sums are whole numbers of
 * half-bands and every rounding decision below is made on integers: no floating-point edge
 * (6.25, 6.75, 6.666...) can land on the wrong side.
 */

/** Tolerance for `roundBand` on arbitrary numbers (e.g. a mean computed elsewhere as 6.7499999999). */
const EPSILON = 1e-9;

function describe(x: unknown): string {
  if (typeof x === 'number') return String(x);
  if (typeof x === 'string') return JSON.stringify(x);
  return x === null ? 'null' : typeof x;
}

function requireBand(label: string, x: unknown): number {
  if (!isBand(x)) {
    throw new BandError(`${label} = ${describe(x)} is not a band (${MIN_BAND}-${MAX_BAND} in steps of 0.5)`);
  }
  return x;
}

/** Validates a list of exactly `count` bands and returns their sum in half-band units. */
function sumOfHalfBands(fn: string, what: string, bands: readonly number[], count: number): number {
  if (!Array.isArray(bands)) {
    throw new BandError(`${fn} needs an array of ${count} ${what} bands, got ${describe(bands)}`);
  }
  if (bands.length !== count) {
    throw new BandError(`${fn} needs exactly ${count} ${what} bands, got ${bands.length}`);
  }
  return bands.reduce((sum, band, i) => sum + requireBand(`${what}[${i}]`, band) * 2, 0);
}

/**
 * Official reporting rule applied to `halfBands / denominator` half-bands, in integers: split into
 * a whole band and a remainder fraction `r / (2 * denominator)`; below .25 rounds down, .25 up to
 * (not including) .75 gives .5, .75 and above rounds up.
 */
function roundHalfBandFraction(halfBands: number, denominator: number): number {
  const perBand = 2 * denominator;
  const whole = Math.floor(halfBands / perBand);
  const remainder = halfBands - whole * perBand;
  // remainder / perBand < 1/4  <=>  4 * remainder < perBand
  if (4 * remainder < perBand) return whole;
  // remainder / perBand >= 3/4  <=>  4 * remainder >= 3 * perBand
  if (4 * remainder >= 3 * perBand) return whole + 1;
  return whole + 0.5;
}

/**
 * The official IELTS reporting rule: a fraction below .25 rounds down to the whole band, from .25
 * up to (not including) .75 gives .5, and .75 or above rounds up to the next whole band.
 * Accepts any finite number from 0 to 9 (e.g. an average).
 */
export function roundBand(x: number): number {
  // Number.isFinite is also false for every non-number a JavaScript caller might pass.
  if (!Number.isFinite(x) || x < MIN_BAND || x > MAX_BAND) {
    throw new BandError(
      `roundBand needs a finite number from ${MIN_BAND} to ${MAX_BAND}, got ${describe(x)}`,
    );
  }
  // Equivalent when mutated to `x - EPSILON`: a whole number then reads as the band below plus a
  // fraction of ~1, which rounds up to the same band.
  // Stryker disable next-line ArithmeticOperator: see above
  const whole = Math.floor(x + EPSILON);
  const fraction = x - whole;
  if (fraction < 0.25 - EPSILON) return whole;
  if (fraction >= 0.75 - EPSILON) return Math.min(whole + 1, MAX_BAND);
  return whole + 0.5;
}

/**
 * The band of one Writing task or one Speaking test: the mean of its four criterion bands, rounded
 * **down** to a half band (7, 7, 7, 6 -> 6.75 -> 6.5).
 */
export function taskBand(criteria: readonly number[]): number {
  const halfBands = sumOfHalfBands('taskBand', 'criterion', criteria, 4);
  // mean in half-bands = halfBands / 4; floor it to a whole number of half-bands.
  return Math.floor(halfBands / 4) / 2;
}

/** The Writing band: Task 2 counts double, `roundBand((task1 + 2 * task2) / 3)`. */
export function writingBand(task1: number, task2: number): number {
  const halfBands = requireBand('task1', task1) * 2 + 2 * (requireBand('task2', task2) * 2);
  return roundHalfBandFraction(halfBands, 3);
}

/** The overall band: `roundBand` of the mean of the four skill bands (Listening, Reading, Writing, Speaking). */
export function overallBand(skills: readonly number[]): number {
  return roundHalfBandFraction(sumOfHalfBands('overallBand', 'skill', skills, 4), 4);
}
