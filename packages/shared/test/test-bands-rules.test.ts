import { describe, expect, it } from 'vitest';
import {
  BandError,
  speakingCriterionBand,
  speakingTestBands,
  writingBand,
  writingTestBand,
} from '../src/index.js';

/*
 * What the whole-test band functions refuse, and how they say so: a caller (the results API, the
 * backend) shows these messages, so each names the function, what it needs and what it got.
 */

const part = (fc: number, lr: number, gra: number, p: number) => ({
  fluencyCoherence: fc,
  lexicalResource: lr,
  grammaticalRangeAccuracy: gra,
  pronunciation: p,
});

/** The BandError `fn` throws (fails the test when it throws anything else or nothing). */
function bandError(fn: () => unknown): BandError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BandError);
    return error as BandError;
  }
  throw new Error('expected a BandError, nothing was thrown');
}

describe('speakingCriterionBand refuses anything but three bands, naming what it got', () => {
  it('too few or too many part bands: the count', () => {
    expect(bandError(() => speakingCriterionBand([6, 6])).message).toBe(
      'speakingCriterionBand needs exactly 3 part bands, got 2',
    );
    expect(bandError(() => speakingCriterionBand([6, 6, 6, 6])).message).toBe(
      'speakingCriterionBand needs exactly 3 part bands, got 4',
    );
  });

  it('not an array, even one with a length of 3: its type', () => {
    expect(bandError(() => speakingCriterionBand('666' as unknown as number[])).message).toBe(
      'speakingCriterionBand needs exactly 3 part bands, got string',
    );
  });

  it('a value that is not a band: its position and value', () => {
    expect(bandError(() => speakingCriterionBand([6, 6.25, 6])).message).toBe(
      'part[1] = 6.25 is not a band (0-9 in steps of 0.5)',
    );
    expect(bandError(() => speakingCriterionBand([6, 6, 9.5])).message).toBe(
      'part[2] = 9.5 is not a band (0-9 in steps of 0.5)',
    );
  });
});

describe('speakingTestBands refuses anything but three parts', () => {
  it('the count of parts it got', () => {
    expect(bandError(() => speakingTestBands([part(6, 6, 6, 6), part(6, 6, 6, 6)])).message).toBe(
      'speakingTestBands needs the criteria of exactly 3 parts, got 2',
    );
  });

  it('a non-array with a length of 3 is refused as a whole, not read criterion by criterion', () => {
    const notParts = 'abc' as unknown as Parameters<typeof speakingTestBands>[0];
    expect(bandError(() => speakingTestBands(notParts)).message).toBe(
      'speakingTestBands needs the criteria of exactly 3 parts, got 3',
    );
  });

  it('reports the four criteria under their result keys, and nothing else', () => {
    const bands = speakingTestBands([part(7, 6, 5, 8), part(7, 6, 5, 8), part(7, 6, 5, 8)]);
    expect(Object.keys(bands.criteria).sort()).toEqual([
      'fluencyCoherence',
      'grammaticalRangeAccuracy',
      'lexicalResource',
      'pronunciation',
    ]);
    expect(bands).toEqual({ criteria: part(7, 6, 5, 8), band: 6.5 });
  });
});

describe('writingTestBand is the Writing band rule', () => {
  it('agrees with writingBand, and refuses what it refuses', () => {
    expect(writingTestBand(5, 8)).toBe(writingBand(5, 8));
    expect(writingTestBand(5, 8)).toBe(7);
    expect(() => writingTestBand(5, 9.5)).toThrow(BandError);
  });
});
