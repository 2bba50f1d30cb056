import { describe, expect, it } from 'vitest';
import { countEssayWords } from '../../src/assess/word-count.js';

describe('countEssayWords', () => {
  it.each([
    ['', 0],
    ['   \n\t ', 0],
    ['One word', 2],
    ["A well-known fact: don't panic.", 5],
    ['In 2023, 45% of people - roughly half - agreed & left...', 9],
    ['cities\u2014especially large ones\u2013grow', 5],
    ['Line one.\n\nLine   two.', 4],
    // Zero-width and other invisible characters are never words, alone or between spaces.
    ['Two words \u200b \u200c\u200d \u2060 \ufeff \u00ad', 2],
    ['well\u200bknown', 1],
  ])('counts %j as %i words', (text, expected) => {
    expect(countEssayWords(text)).toBe(expected);
  });
});
