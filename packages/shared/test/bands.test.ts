import { describe, expect, it } from 'vitest';
import { BANDS, BandError, isBand, overallBand, roundBand, taskBand, writingBand } from '../src/index.js';

describe('roundBand (official reporting rule)', () => {
  const cases: [number, number][] = [
    [0, 0],
    [0.125, 0],
    [0.25, 0.5],
    [6, 6],
    [6.1, 6],
    [6.125, 6],
    [6.24, 6],
    [6.25, 6.5],
    [6.375, 6.5],
    [6.5, 6.5],
    [6.625, 6.5],
    [20 / 3, 6.5],
    [6.74, 6.5],
    [6.75, 7],
    [6.875, 7],
    [19 / 3, 6.5],
    [6 + 0.1 + 0.15, 6.5], // 6.25 reached through floating-point sums
    [0.1 + 0.2, 0.5], // 0.30000000000000004
    [6.749999999999999, 7], // a float a hair below .75 is still .75
    [8.75, 9],
    [9, 9],
  ];
  it.each(cases)('roundBand(%s) = %s', (input, expected) => {
    expect(roundBand(input)).toBe(expected);
  });

  it.each([NaN, Infinity, -Infinity, -0.5, 9.5])('rejects %s', (input) => {
    expect(() => roundBand(input)).toThrow(BandError);
    expect(() => roundBand(input)).toThrow(`roundBand needs a finite number from 0 to 9, got ${input}`);
  });
});

describe('taskBand (mean of four criteria, rounded down to a half band)', () => {
  const cases: [number[], number][] = [
    [[7, 7, 7, 6], 6.5], // mean 6.75 rounds DOWN
    [[7, 7, 7, 7], 7],
    [[6, 6, 6, 6.5], 6], // 6.125
    [[6, 6, 6.5, 6.5], 6], // 6.25
    [[6, 6.5, 6.5, 6.5], 6], // 6.375
    [[6.5, 6.5, 6.5, 7], 6.5], // 6.625
    [[6, 7, 7, 7], 6.5], // 6.75
    [[5, 6, 7, 8], 6.5], // 6.5
    [[5.5, 6, 6, 6], 5.5], // 5.875
    [[9, 9, 9, 8.5], 8.5], // 8.875
    [[0, 0, 0, 0.5], 0], // 0.125
    [[0, 0, 0, 0], 0],
    [[9, 9, 9, 9], 9],
  ];
  it.each(cases)('taskBand(%j) = %s', (criteria, expected) => {
    expect(taskBand(criteria)).toBe(expected);
  });

  it('rejects a wrong number of criteria', () => {
    expect(() => taskBand([7, 7, 7])).toThrow('taskBand needs exactly 4 criterion bands, got 3');
    expect(() => taskBand([7, 7, 7, 7, 7])).toThrow('taskBand needs exactly 4 criterion bands, got 5');
    expect(() => taskBand([])).toThrow('taskBand needs exactly 4 criterion bands, got 0');
  });

  it.each([
    [[7, 7, 6.3, 7], 'criterion[2] = 6.3 is not a band (0-9 in steps of 0.5)'],
    [[9.5, 7, 7, 7], 'criterion[0] = 9.5 is not a band (0-9 in steps of 0.5)'],
    [[7, -0.5, 7, 7], 'criterion[1] = -0.5 is not a band (0-9 in steps of 0.5)'],
    [[7, 7, 7, NaN], 'criterion[3] = NaN is not a band (0-9 in steps of 0.5)'],
    [[7, 7, 7, Infinity], 'criterion[3] = Infinity is not a band (0-9 in steps of 0.5)'],
  ] as [number[], string][])('rejects %j', (criteria, message) => {
    expect(() => taskBand(criteria)).toThrow(BandError);
    expect(() => taskBand(criteria)).toThrow(message);
  });

  it('rejects a value that is not a number', () => {
    expect(() => taskBand([7, 7, 7, '7' as unknown as number])).toThrow(
      'criterion[3] = "7" is not a band (0-9 in steps of 0.5)',
    );
  });
});

describe('writingBand (Task 2 counts double)', () => {
  const cases: [number, number, number][] = [
    [6, 7, 6.5], // 6.667
    [7, 6, 6.5], // 6.333
    [6, 6, 6],
    [5, 6.5, 6], // 6.0
    [6.5, 6, 6], // 6.1667
    [5.5, 7, 6.5], // 6.5
    [7, 7.5, 7.5], // 7.333
    [6, 7.5, 7], // 7.0
    [8, 6.5, 7], // 7.0
    [7.5, 7, 7], // 7.1667
    [6.5, 7, 7], // 6.8333 (>= .75)
    [4.5, 7, 6], // 6.1667
    [0, 0, 0],
    [9, 9, 9],
  ];
  it.each(cases)('writingBand(%s, %s) = %s', (task1, task2, expected) => {
    expect(writingBand(task1, task2)).toBe(expected);
  });

  it('names the bad argument', () => {
    expect(() => writingBand(9.5, 7)).toThrow('task1 = 9.5 is not a band (0-9 in steps of 0.5)');
    expect(() => writingBand(7, 6.3)).toThrow('task2 = 6.3 is not a band (0-9 in steps of 0.5)');
    expect(() => writingBand(7, NaN)).toThrow(BandError);
  });
});

describe('overallBand (roundBand of the mean of four skills)', () => {
  const cases: [number[], number][] = [
    [[6.5, 6.5, 5, 7], 6.5], // 6.25 rounds up to .5
    [[4, 3.5, 4, 4], 4], // 3.875
    [[6, 6, 6, 6.5], 6], // 6.125
    [[6, 6.5, 6.5, 6.5], 6.5], // 6.375
    [[6.5, 6.5, 6.5, 7], 6.5], // 6.625
    [[7, 7, 7, 6], 7], // 6.75 rounds UP (unlike taskBand)
    [[6.5, 7, 7, 7], 7], // 6.875
    [[6, 6, 6.5, 6.5], 6.5], // 6.25
    [[9, 9, 9, 8.5], 9], // 8.875
    [[9, 9, 9, 9], 9],
    [[0, 0, 0, 0], 0],
  ];
  it.each(cases)('overallBand(%j) = %s', (skills, expected) => {
    expect(overallBand(skills)).toBe(expected);
  });

  it('rejects wrong lengths and non-bands', () => {
    expect(() => overallBand([7, 7, 7])).toThrow('overallBand needs exactly 4 skill bands, got 3');
    expect(() => overallBand([7, 7, 7, 7, 7])).toThrow('overallBand needs exactly 4 skill bands, got 5');
    expect(() => overallBand([7, 7, 6.3, 7])).toThrow('skill[2] = 6.3 is not a band (0-9 in steps of 0.5)');
    expect(() => overallBand(null as unknown as number[])).toThrow(BandError);
  });
});

describe('isBand', () => {
  it.each(BANDS)('accepts %s', (band) => {
    expect(isBand(band)).toBe(true);
  });
  it.each([9.5, -0.5, 6.3, 6.25, NaN, Infinity, -Infinity, '6', null, undefined, {}])(
    'rejects %s',
    (value) => {
      expect(isBand(value)).toBe(false);
    },
  );
  it('has 19 bands from 0 to 9', () => {
    expect(BANDS).toHaveLength(19);
    expect(BANDS[0]).toBe(0);
    expect(BANDS.at(-1)).toBe(9);
  });
});
