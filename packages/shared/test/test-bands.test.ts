import { describe, expect, it } from 'vitest';
import {
  BANDS,
  BandError,
  roundBand,
  speakingCriterionBand,
  speakingTestBands,
  taskBand,
  writingTestBand,
} from '../src/index.js';

describe('speakingCriterionBand (mean of the three parts, rounded down to a half band)', () => {
  const cases: [number[], number][] = [
    [[6, 6, 6], 6],
    [[6, 6, 6.5], 6], // 6.1666 -> 6
    [[6, 6.5, 6.5], 6], // 6.3333 -> 6 (down, never to the nearer 6.5)
    [[6.5, 6.5, 6.5], 6.5],
    [[6, 7, 7], 6.5], // 6.6666 -> 6.5
    [[7, 7, 7.5], 7],
    [[5, 6, 7], 6],
    [[0, 0, 0.5], 0],
    [[9, 9, 8.5], 8.5],
    [[9, 9, 9], 9],
  ];
  it.each(cases)('speakingCriterionBand(%j) = %s', (parts, expected) => {
    expect(speakingCriterionBand(parts)).toBe(expected);
  });

  it('is the floor of the exact mean to a half band for every combination of bands', () => {
    for (const a of BANDS)
      for (const b of BANDS)
        for (const c of [0, 4.5, 6, 6.5, 9]) {
          const expected = Math.floor(((a + b + c) / 3) * 2 + 1e-9) / 2;
          expect(speakingCriterionBand([a, b, c])).toBe(expected);
        }
  });

  it.each([[[6, 6]], [[6, 6, 6, 6]], [[6, 6.25, 6]], [[6, Number.NaN, 6]], [[6, 9.5, 6]]])(
    'refuses %j',
    (parts) => {
      expect(() => speakingCriterionBand(parts)).toThrow(BandError);
    },
  );
});

describe('speakingTestBands', () => {
  const part = (fc: number, lr: number, gra: number, p: number) => ({
    fluencyCoherence: fc,
    lexicalResource: lr,
    grammaticalRangeAccuracy: gra,
    pronunciation: p,
  });

  const cases: [string, ReturnType<typeof part>[], ReturnType<typeof part>, number][] = [
    ['all equal', [part(6, 6, 6, 6), part(6, 6, 6, 6), part(6, 6, 6, 6)], part(6, 6, 6, 6), 6],
    [
      'one strong part does not lift a criterion',
      [part(6, 6, 6, 6), part(6, 6, 6, 6), part(7.5, 7, 7, 6.5)],
      part(6.5, 6, 6, 6),
      6,
    ],
    [
      'criteria differ, overall is their mean rounded down',
      [part(7, 6.5, 6, 6), part(7, 7, 6, 6), part(7.5, 7, 6.5, 6)],
      part(7, 6.5, 6, 6),
      6, // 6.375 -> 6
    ],
    [
      'overall 6.75 rounds down to 6.5',
      [part(7, 7, 7, 6), part(7, 7, 7, 6), part(7, 7, 7, 6)],
      part(7, 7, 7, 6),
      6.5,
    ],
    ['low bands', [part(4, 4.5, 4, 5), part(4.5, 4.5, 4, 5), part(4, 5, 4.5, 5)], part(4, 4.5, 4, 5), 4], // 4.375 -> 4
  ];
  it.each(cases)('%s', (_name, parts, criteria, band) => {
    const bands = speakingTestBands(parts);
    expect(bands).toEqual({ criteria, band });
    // The overall band is exactly the shared task-band rule over the four combined criteria.
    expect(bands.band).toBe(taskBand(Object.values(bands.criteria)));
  });

  it('refuses anything but three parts', () => {
    expect(() => speakingTestBands([part(6, 6, 6, 6), part(6, 6, 6, 6)])).toThrow('exactly 3 parts');
  });
});

describe('writingTestBand (Task 2 counts double)', () => {
  const cases: [number, number, number][] = [
    [6, 6, 6],
    [6, 7, 6.5], // 6.666 -> 6.5
    [7, 6, 6.5], // 6.333 -> 6.5
    [5, 7, 6.5], // 6.333 -> 6.5
    [6.5, 7, 7], // 6.8333 -> 7
    [7, 6.5, 6.5], // 6.6666 -> 6.5
    [5.5, 6, 6], // 5.8333 -> 6
    [6, 5.5, 5.5], // 5.6666 -> 5.5
    [9, 9, 9],
    [0, 0, 0],
    [4, 8, 6.5], // 6.6666 -> 6.5
  ];
  it.each(cases)('writingTestBand(%s, %s) = %s', (task1, task2, expected) => {
    expect(writingTestBand(task1, task2)).toBe(expected);
    expect(writingTestBand(task1, task2)).toBe(roundBand((task1 + 2 * task2) / 3));
  });
});
