// Spaces and the dashes writers use as punctuation between words ("cities—especially").
const SEPARATORS = /[\s\u2013\u2014]+/u;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** Invisible format characters (Unicode category Cf: zero-width space and joiners, BOM, soft hyphen). */
const INVISIBLE = /\p{Cf}/gu;

/**
 * Counts words the way examiners do for the under-length rule: whitespace-separated tokens that
 * contain a letter or digit, so a hyphenated word ("well-known"), a contraction ("don't") and a
 * number ("2023", "45%") are one word each, while stray punctuation ("-", "&", "...") is not a word.
 * (The request schema's `countWords` only bounds abuse and counts every token.)
 */
export function countEssayWords(text: string): number {
  let count = 0;
  // Zero-width and other invisible format characters are dropped first: "a\u200B" is the word "a"
  // as the examiner sees it, and a run of them between spaces is no word at all.
  for (const token of text.replace(INVISIBLE, '').split(SEPARATORS)) {
    if (HAS_LETTER_OR_DIGIT.test(token)) count += 1;
  }
  return count;
}
