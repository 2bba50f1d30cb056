import { describe, expect, it } from 'vitest';
import { BANDS, isBand } from '../src/index.js';

/*
 * The IELTS band scale itself: 0 to 9 in half bands. The exhaustive band tests iterate over BANDS,
 * so a shorter or wrong scale would silently test less.
 */
describe('BANDS: the band scale', () => {
  it('is 0, 0.5, ..., 9: nineteen half bands in ascending order', () => {
    expect(BANDS).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9]);
  });

  it('holds exactly the values isBand accepts', () => {
    for (const band of BANDS) expect(isBand(band), String(band)).toBe(true);
    for (const notBand of [-0.5, 0.25, 8.75, 9.5, 10]) expect(isBand(notBand), String(notBand)).toBe(false);
  });
});
