import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/rag/parse-document.js';
import { DEFAULT_RAG_CONFIG, type DocumentLimits } from '../../src/rag/rag-config.js';
import { PermanentJobError } from '../../src/runtime/errors.js';
import { adversarialCorpus } from './support/adversarial-corpus.js';

/**
 * Every hostile document ends the way the parser promises: parsed, or refused with its document
 * code and a reason, within the parse budget. Budgets are smaller than production's so the suite
 * stays quick on a shared machine; `pnpm bench` runs the same corpus with the production budgets.
 */
const LIMITS: DocumentLimits = {
  ...DEFAULT_RAG_CONFIG.limits,
  maxParseMs: 20_000,
  maxParseHeapMb: 128,
  maxParseRssGrowthMb: 512,
  maxTextItems: 50_000,
};
const corpus = await adversarialCorpus({ bombMb: 64 });

describe('adversarial document corpus', () => {
  it.each(corpus.map((doc) => [doc.name, doc] as const))(
    '%s',
    async (_name, doc) => {
      const outcome = await parseDocument(
        { bytes: doc.bytes, key: doc.key, contentType: doc.contentType },
        LIMITS,
      ).then(
        (parsed) => ({ parsed }),
        (error: unknown) => ({ error }),
      );
      if ('parses' in doc.expect) {
        expect('parsed' in outcome ? outcome.parsed.pages.length : outcome.error).toBeGreaterThan(0);
        return;
      }
      if (!('error' in outcome)) throw new Error(`${doc.name} parsed, but must fail with ${doc.expect.code}`);
      expect(outcome.error).toBeInstanceOf(PermanentJobError);
      const error = outcome.error as PermanentJobError;
      expect(error.code).toBe(doc.expect.code);
      // A reason a learner can act on, with no internal detail (no object keys, no stack).
      expect(error.message).toMatch(/^The (PDF|document)/);
      expect(error.message).not.toContain('uploads/');
    },
    60_000,
  );

  it('reads a .txt or .md that mentions %PDF- in its first kilobyte as text, and only a PDF as a PDF', async () => {
    const mention = corpus.find((doc) => doc.key.endsWith('notes.txt'))!;
    const parsed = await parseDocument(
      { bytes: mention.bytes, key: mention.key, contentType: mention.contentType },
      LIMITS,
    );
    expect(parsed.format).toBe('text');
    expect(parsed.pages[0]?.text).toContain('%PDF-1.7');
    const markdown = corpus.find((doc) => doc.key.endsWith('pdf-notes.md'))!;
    expect(
      (
        await parseDocument(
          { bytes: markdown.bytes, key: markdown.key, contentType: markdown.contentType },
          LIMITS,
        )
      ).format,
    ).toBe('markdown');
  });
});
