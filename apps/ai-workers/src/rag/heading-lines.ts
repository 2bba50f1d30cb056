/**
 * Whether a line of extracted text looks like a heading: at most 12 words, no sentence end inside
 * or at the end of it, and followed by a line that starts with a capital or a digit. PDF text has no
 * markup, so this is how section titles are told apart from lines that merely wrap.
 */
export function isHeadingLine(line: string, next: string | undefined): boolean {
  const trimmed = line.trim();
  return (
    trimmed.length > 0 &&
    next !== undefined &&
    trimmed.split(/\s+/).length <= 12 &&
    !/[.!?]\s/.test(trimmed) &&
    !/[.,;:!?)\]"'”’-]$/.test(trimmed) &&
    /^\s*[\p{Lu}\d]/u.test(next)
  );
}

/** Heading-like lines of a page, page furniture ("Page 3 of 10") left out. */
export function headingLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.filter(
    (line, i) =>
      isHeadingLine(line, lines[i + 1]) && !/^(page\s+)?\d+(\s+(of|\/)\s+\d+)?$/i.test(line.trim()),
  );
}
