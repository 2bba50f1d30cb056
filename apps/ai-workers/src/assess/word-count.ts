// Spaces and the dashes writers use as punctuation between words ("cities—especially").
const SEPARATORS = /[\s\u2013\u2014]+/u;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Counts words the way examiners do for the under-length rule: whitespace-separated tokens that
 * contain a letter or digit, so a hyphenated word ("well-known"), a contraction ("don't") and a
 * number ("2023", "45%") are one word each, while stray punctuation ("-", "&", "...") is not a word.
 * (The request schema's `countWords` only bounds abuse and counts every token.)
 */
export function countEssayWords(text: string): number {
  let count = 0;
  for (const token of text.split(SEPARATORS)) {
    if (HAS_LETTER_OR_DIGIT.test(token)) count += 1;
  }
  return count;
}
