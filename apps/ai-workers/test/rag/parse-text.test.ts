import { describe, expect, it } from 'vitest';
import { atxHeadingText, stripMarkdown } from '../../src/rag/parse-text.js';

describe('ATX headings, scanned in linear time', () => {
  it.each([
    ['# Title', 'Title'],
    ['### Title ###', 'Title'],
    ['   ## Indented   ', 'Indented'],
    ['#\tTabbed #', 'Tabbed'],
    ['# C#', 'C#'],
    ['## a ### b', 'a ### b'],
    ['#', ''],
    ['# ###', ''],
    [`#${' '.repeat(100_000)}spaced`, 'spaced'],
  ])('%j -> %j', (line, text) => {
    expect(atxHeadingText(line)).toBe(text);
  });

  it.each(['#hashtag', '####### seven', '    # code block', 'plain'])('%j is not a heading', (line) => {
    expect(atxHeadingText(line)).toBeUndefined();
  });

  it('keeps headings as the outline and strips inline syntax', () => {
    const headings: string[] = [];
    const text = stripMarkdown(
      '# Cells ##\n\nSee ![a chart](c.png), [the docs](https://x.y) and **bold** `code`.',
      headings,
    );
    expect(headings).toEqual(['Cells']);
    expect(text).toBe('Cells.\n\nSee a chart, the docs and bold code.');
  });
});
