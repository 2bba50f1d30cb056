import { fold, QUESTION_WORDS, STOPWORDS, tokenize } from './text-tokens.js';

/**
 * The content words of a question, folded: function words and question framing ("what is",
 * "define") removed, plurals folded. Falls back to all tokens for questions made only of those.
 */
export function questionSignature(question: string): ReadonlySet<string> {
  const tokens = tokenize(question);
  const content = tokens.filter((token) => !STOPWORDS.has(token) && !QUESTION_WORDS.has(token));
  return new Set((content.length > 0 ? content : tokens).map(fold));
}

/** Jaccard similarity |A ∩ B| / |A ∪ B| of two token sets (1 for two empty sets). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const token of a) if (b.has(token)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Keeps questions in order, skipping any whose signature is at least `threshold` similar to one
 * already kept (normalised token Jaccard). One filter spans all rounds, so a top-up round cannot repeat an earlier card.
 */
export class DuplicateFilter {
  private readonly kept: ReadonlySet<string>[] = [];

  constructor(private readonly threshold: number) {}

  /** True (and remembered) if the question is new; false if it duplicates one seen before. */
  accept(question: string): boolean {
    const signature = questionSignature(question);
    if (this.kept.some((seen) => jaccard(seen, signature) >= this.threshold)) return false;
    this.kept.push(signature);
    return true;
  }
}
