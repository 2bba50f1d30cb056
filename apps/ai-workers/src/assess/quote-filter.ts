/**
 * Quoted examples are kept only if the quote really occurs in the learner's text: a model may
 * "quote" a sentence the learner never wrote, and feedback on invented text is worse than none.
 *
 * The comparison forgives only what a faithful copy can change: letter case, runs of whitespace and
 * line breaks, typographic quotes and apostrophes, dash variants, and a leading or trailing ellipsis
 * or quote mark the model put around the excerpt. Words must match exactly and in order.
 */
export function normaliseForQuote(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/gu, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/gu, '"')
    .replace(/[\u2010-\u2015\u2212]/gu, '-')
    .replace(/\u2026/gu, '...')
    .replace(/\s+/gu, ' ')
    .trim()
    .toLowerCase();
}

/** The quote without the ellipses and wrapping quote marks models add around an excerpt. */
function trimQuoteDecoration(normalised: string): string {
  return normalised
    .replace(/^(?:\.{3}|["'\s])+/u, '')
    .replace(/(?:\.{3}|["'\s])+$/u, '')
    .trim();
}

/** Shorter "quotes" match almost anywhere and point at nothing in particular. */
const MIN_QUOTE_CHARS = 3;

/** True when `quote` occurs verbatim (after normalisation) in `source`. */
export function quoteOccursIn(quote: string, normalisedSource: string): boolean {
  const needle = trimQuoteDecoration(normaliseForQuote(quote));
  return needle.length >= MIN_QUOTE_CHARS && normalisedSource.includes(needle);
}

/**
 * Splits examples into the ones whose quote occurs in `source` and the ones dropped. The dropped
 * count is reported with the result so a reader can see that filtering happened.
 */
export function keepVerbatimQuotes<T extends { readonly quote: string }>(
  examples: readonly T[],
  source: string,
): { kept: T[]; dropped: T[] } {
  const haystack = normaliseForQuote(source);
  const kept: T[] = [];
  const dropped: T[] = [];
  for (const example of examples) (quoteOccursIn(example.quote, haystack) ? kept : dropped).push(example);
  return { kept, dropped };
}
