import { topKeywords } from './keywords.js';
import type { ParsedDocument } from './parsed-document.js';

/**
 * A compact picture of the document for the query planner: title, headings, the opening line of
 * each page and the most frequent terms, cut to `maxChars`. Gemini sees this, never the whole
 * document, so the query call stays small and cheap whatever the document's length.
 */
export function documentOutline(document: ParsedDocument, maxChars: number): string {
  const lines: string[] = [];
  if (document.title) lines.push(`Title: ${document.title}`);
  lines.push(`Format: ${document.format}, ${document.pageCount} page(s)`);
  const keywords = topKeywords(document.pages.map((page) => page.text).join('\n'), 25);
  if (keywords.length > 0) lines.push(`Frequent terms: ${keywords.join(', ')}`);
  if (document.headings.length > 0) {
    lines.push('Headings:');
    for (const heading of document.headings.slice(0, 60)) lines.push(`- ${heading}`);
  }
  lines.push('Page openings:');
  for (const page of document.pages) {
    const opening = page.text.replace(/\s+/g, ' ').slice(0, 160).trim();
    lines.push(`- p${page.pageNumber}: ${opening}`);
  }
  let outline = '';
  for (const line of lines) {
    if (outline.length + line.length + 1 > maxChars) break;
    outline += `${line}\n`;
  }
  return outline.trimEnd();
}
