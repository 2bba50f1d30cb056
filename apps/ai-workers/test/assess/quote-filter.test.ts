import { describe, expect, it } from 'vitest';
import { keepVerbatimQuotes, normaliseForQuote, quoteOccursIn } from '../../src/assess/quote-filter.js';

const ESSAY =
  'Governments also has limited budgets,\nand money spent on universities can\u2019t be spent on "hospitals".';
const source = normaliseForQuote(ESSAY);

describe('verbatim quote filter', () => {
  it('keeps quotes that occur in the text, forgiving case, whitespace, typographic quotes and decoration', () => {
    expect(quoteOccursIn('Governments also has limited budgets', source)).toBe(true);
    expect(quoteOccursIn('budgets, and money', source)).toBe(true); // line break vs space
    expect(quoteOccursIn("universities can't be spent", source)).toBe(true); // ' vs \u2019
    expect(quoteOccursIn('\u201Con \u201Chospitals\u201D', source)).toBe(true); // curly vs straight double quotes
    expect(quoteOccursIn('"...GOVERNMENTS ALSO HAS..."', source)).toBe(true); // wrapping quotes and ellipses
  });

  it('drops quotes with any word changed, added or reordered', () => {
    expect(quoteOccursIn('Governments also have limited budgets', source)).toBe(false); // corrected grammar
    expect(quoteOccursIn('money spent on schools', source)).toBe(false);
    expect(quoteOccursIn('limited budgets Governments', source)).toBe(false);
  });

  it('drops quotes too short to point at anything', () => {
    expect(quoteOccursIn('an', source)).toBe(false);
    expect(quoteOccursIn('"..."', source)).toBe(false);
  });

  it('splits examples into kept and dropped, preserving order', () => {
    const examples = [
      { quote: 'Governments also has', issue: 'agreement' },
      { quote: 'The government are bad', issue: 'invented' },
      { quote: 'spent on universities', issue: 'fine' },
    ];
    const { kept, dropped } = keepVerbatimQuotes(examples, ESSAY);
    expect(kept.map((e) => e.issue)).toEqual(['agreement', 'fine']);
    expect(dropped.map((e) => e.issue)).toEqual(['invented']);
  });
});
