import { sentenceSpans } from '../../src/rag/chunk.js';
import type { ConverseCall, ConverseReply } from './fake-bedrock.js';

interface Source {
  readonly id: string;
  readonly page: number;
  readonly sentences: string[];
}

/**
 * A Converse reply function that behaves like a well-grounded card writer: it reads the source
 * passages and the requested count and type mix from the prompt the worker built, and writes one
 * card per sentence of the sources, citing the passage the sentence came from. Deterministic, so
 * tests and the local command can assert on it; the answers are really in the cited passages.
 */
export function groundedCardWriter(): (call: ConverseCall) => ConverseReply {
  return (call) => {
    const prompt =
      call.body.messages
        .at(-1)
        ?.content.map((block) => block.text ?? '')
        .join('') ?? '';
    const firstPrompt = call.body.messages[0]?.content.map((block) => block.text ?? '').join('') ?? '';
    const sources: Source[] = [
      ...firstPrompt.matchAll(/<source id="([^"]+)" page="(\d+)">\n([\s\S]*?)\n<\/source>/g),
    ].map((match) => ({
      id: match[1]!,
      page: Number(match[2]),
      sentences: sentenceSpans(match[3] ?? '', 2_000)
        .map((span) => (match[3] ?? '').slice(span.start, span.end).replace(/\s+/g, ' '))
        .filter((sentence) => /[.!?]$/.test(sentence) && sentence.split(' ').length >= 5),
    }));
    const count = Number(/Write (\d+) flashcard/.exec(prompt)?.[1] ?? '0');
    const types = [...prompt.matchAll(/- \d+ x "([^"]+)"/g)].map((match) => match[1]!);
    const already = new Set([...prompt.matchAll(/^- (.+\?)$/gm)].map((match) => match[1]));

    const cards: { question: string; answer: string; type: string; sources: string[] }[] = [];
    // Round-robin over the sources (first sentence of each, then the second, ...), so a set cites
    // every passage it was given rather than only the first.
    const longest = Math.max(0, ...sources.map((source) => source.sentences.length));
    const pool = Array.from({ length: longest }, (_, i) =>
      sources
        .filter((source) => source.sentences[i])
        .map((source) => ({ source, sentence: source.sentences[i]! })),
    ).flat();
    for (const { source, sentence } of pool) {
      if (cards.length >= count) break;
      const type = types[cards.length % Math.max(1, types.length)] ?? 'comprehension';
      const words = sentence.replace(/[.!?]$/, '').split(' ');
      const card =
        type === 'fill-in-the-blank'
          ? { question: `${words.slice(0, -1).join(' ')} _____.`, answer: words.at(-1) ?? '' }
          : {
              question: `What does the document state about "${words.slice(0, 6).join(' ')}"?`,
              answer: sentence,
            };
      if (already.has(card.question)) continue;
      cards.push({ ...card, type, sources: [source.id] });
    }
    return JSON.stringify({ cards });
  };
}
