import { describe, expect, it } from 'vitest';
import { BANDS, BandError, isBand, roundBand, taskBand } from '../src/index.js';

// The rounding thresholds .25 and .75 are compared with a 1e-9 tolerance, so that a mean computed
// elsewhere with floating-point noise lands on the side its exact value belongs to.
const EPSILON = 1e-9;

describe('roundBand tolerates floating-point noise at the .25 and .75 thresholds', () => {
  it('a value short of .25 by the tolerance counts as .25 and reports the half band', () => {
    expect(roundBand(0.25 - EPSILON)).toBe(0.5);
  });

  it('a value short of .25 by more than the tolerance still rounds down', () => {
    expect(roundBand(0.25 - 10 * EPSILON)).toBe(0);
    expect(roundBand(6.2499999)).toBe(6);
  });

  it('a value short of .75 by the tolerance counts as .75 and rounds up', () => {
    expect(roundBand(0.75 - EPSILON)).toBe(1);
  });

  it('a value short of .75 by more than the tolerance stays on the half band', () => {
    expect(roundBand(0.75 - 10 * EPSILON)).toBe(0.5);
    expect(roundBand(6.7499999)).toBe(6.5);
  });

  it('a value a hair below a whole band (accumulated error) is that whole band, never the band below', () => {
    expect(roundBand(7 - EPSILON / 10)).toBe(7);
    expect(roundBand(9 - EPSILON / 10)).toBe(9);
  });
});

describe('band errors say what was received without dumping it', () => {
  const received = (value: unknown) => {
    try {
      taskBand([7, 7, 7, value as number]);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('taskBand accepted a non-band');
  };

  it('names the type of a value that is neither a number nor a string', () => {
    expect(received(true)).toBe('criterion[3] = boolean is not a band (0-9 in steps of 0.5)');
    expect(received({ band: 7 })).toBe('criterion[3] = object is not a band (0-9 in steps of 0.5)');
    expect(received(undefined)).toBe('criterion[3] = undefined is not a band (0-9 in steps of 0.5)');
  });

  it('says null for null (not "object")', () => {
    expect(received(null)).toBe('criterion[3] = null is not a band (0-9 in steps of 0.5)');
  });

  it('a missing list of bands is named, with what was passed instead', () => {
    expect(() => taskBand(undefined as unknown as number[])).toThrow(
      'taskBand needs an array of 4 criterion bands, got undefined',
    );
  });

  it('band errors are BandError by name too, so callers across bundles can tell them apart', () => {
    expect(() => taskBand([])).toThrow(BandError);
    try {
      taskBand([]);
    } catch (error) {
      expect((error as Error).name).toBe('BandError');
    }
  });
});

describe('the band scale', () => {
  it('is every half band from 0 to 9, in order', () => {
    expect(BANDS).toEqual(Array.from({ length: 19 }, (_, i) => i / 2));
    expect(BANDS.every(isBand)).toBe(true);
  });
});
