import { STOPWORDS, tokenize } from './text-tokens.js';

/**
 * The most frequent content words of a text (4+ letters, no stopwords, no bare numbers), most
 * frequent first, ties broken by first appearance. Used for the document outline and for the
 * fallback queries when Gemini is unavailable.
 */
export function topKeywords(text: string, limit: number): string[] {
  const counts = new Map<string, number>();
  for (const token of tokenize(text)) {
    if (token.length < 4 || STOPWORDS.has(token) || /^[\d.'’-]+$/.test(token)) continue;
    counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  // Map iteration order is first appearance, and Array.prototype.sort is stable.
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([token]) => token);
}
