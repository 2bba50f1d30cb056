import { BandError } from './band-error.js';
import { taskBand, writingBand } from './band-maths.js';
import { isBand } from './is-band.js';

/** The four Speaking criteria in the order `taskBand` takes them. */
const SPEAKING_CRITERIA = [
  'fluencyCoherence',
  'lexicalResource',
  'grammaticalRangeAccuracy',
  'pronunciation',
] as const;
type SpeakingCriterionKey = (typeof SPEAKING_CRITERIA)[number];

/** Criterion bands of one Speaking part, as its job's result reports them. */
export type SpeakingPartCriteria = Readonly<Record<SpeakingCriterionKey, number>>;

export interface SpeakingTestBands {
  /** One band per criterion for the whole test (parts 1-3). */
  readonly criteria: Readonly<Record<SpeakingCriterionKey, number>>;
  /** The Speaking band: `taskBand` of the four criterion bands. */
  readonly band: number;
}

/**
 * A criterion's band over the three Speaking parts: the mean of the part bands, rounded **down** to
 * a half band, as criterion bands are combined within a task (`taskBand`), so one strong part never
 * lifts a criterion above what the learner showed on average. Integer arithmetic on half-bands.
 */
export function speakingCriterionBand(partBands: readonly number[]): number {
  if (!Array.isArray(partBands) || partBands.length !== 3) {
    throw new BandError(
      `speakingCriterionBand needs exactly 3 part bands, got ${Array.isArray(partBands) ? partBands.length : typeof partBands}`,
    );
  }
  const halfBands = partBands.reduce((sum, band, i) => {
    if (!isBand(band))
      throw new BandError(`part[${i}] = ${String(band)} is not a band (0-9 in steps of 0.5)`);
    return sum + band * 2;
  }, 0);
  return Math.floor(halfBands / 3) / 2;
}

/**
 * The bands of a whole Speaking test from its three parts (in any order of the criteria keys, parts
 * in order 1, 2, 3): each criterion over the parts with `speakingCriterionBand`, then the Speaking
 * band as `taskBand` of those four.
 */
export function speakingTestBands(parts: readonly SpeakingPartCriteria[]): SpeakingTestBands {
  if (!Array.isArray(parts) || parts.length !== 3) {
    throw new BandError(`speakingTestBands needs the criteria of exactly 3 parts, got ${parts.length}`);
  }
  const criteria = Object.fromEntries(
    SPEAKING_CRITERIA.map((criterion) => [criterion, speakingCriterionBand(parts.map((p) => p[criterion]))]),
  ) as Record<SpeakingCriterionKey, number>;
  return { criteria, band: taskBand(SPEAKING_CRITERIA.map((criterion) => criteria[criterion])) };
}

/** The Writing band of a test from its two task bands (Task 2 counts double); see `writingBand`. */
export function writingTestBand(task1Band: number, task2Band: number): number {
  return writingBand(task1Band, task2Band);
}
