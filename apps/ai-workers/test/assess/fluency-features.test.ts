import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeFluencyFeatures, isFiller } from '../../src/assess/fluency-features.js';
import { parseTranscribeTranscript } from '../../src/assess/transcribe-transcript.js';

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/speaking-part2-transcript.json', import.meta.url), 'utf8'),
) as unknown;

function transcriptOf(words: [text: string, start: number, end: number, confidence?: number][]) {
  return {
    text: words.map(([text]) => text).join(' '),
    words: words.map(([text, start, end, confidence = 0.9]) => ({ text, start, end, confidence })),
  };
}

describe('Transcribe transcript parsing', () => {
  it('reads the words with timings and confidences, leaving punctuation out', () => {
    const transcript = parseTranscribeTranscript(fixture);
    expect(transcript.words).toHaveLength(61);
    expect(transcript.words[0]).toEqual({ text: 'Well', start: 0.5, end: 0.8, confidence: 0.99 });
    expect(transcript.text.startsWith("Well, I'd like to talk about a small beach")).toBe(true);
  });

  it('names the bad field of a file that is not a Transcribe transcript', () => {
    expect(() =>
      parseTranscribeTranscript({ results: { transcripts: [], items: [{ type: 'pronunciation' }] } }),
    ).toThrow(/results\.items\.0\.start_time/);
  });
});

describe('computeFluencyFeatures', () => {
  // The fixture: 61 words, each 0.3 s long, 0.1 s apart, after 0.5 s of leading silence, with
  // gaps of 1.2 s (before "Um"), 0.8 s (before "uh"), 1.0 s (before "What") and exactly 0.5 s
  // (before "calm", not a pause); fillers Um, uh, er, um; confidences 0.99 except
  // Bai 0.55, Xep 0.42, centre 0.88, atmosphere 0.71.
  it('measures the hand-made Part 2 transcript exactly', () => {
    const features = computeFluencyFeatures(parseTranscribeTranscript(fixture));
    expect(features).toEqual({
      wordCount: 61,
      fillerCount: 4,
      // 0.5 s -> 27.9 s: 61 x 0.3 s of words + 57 x 0.1 s + 1.2 + 0.8 + 1.0 + 0.5 s of gaps.
      durationSeconds: 27.4,
      // 57 non-filler words / 27.4 s x 60 = 124.82
      wordsPerMinute: 124.8,
      pauseCount: 3,
      meanPauseSeconds: 1,
      longestPauseSeconds: 1.2,
      // 4 / 61 x 100 = 6.557
      fillersPer100Words: 6.6,
      // (57 x 0.99 + 0.55 + 0.42 + 0.88 + 0.71) / 61 = 0.96705
      meanConfidence: 0.967,
      // "Bai" is word 16: 0.5 + 16 x 0.3 + 15 x 0.1 + 1.2 = 8.0 s; "Xep" follows 0.4 s later.
      lowConfidenceWords: [
        { word: 'Bai', at: 8, confidence: 0.55 },
        { word: 'Xep', at: 8.4, confidence: 0.42 },
      ],
    });
  });

  it('counts no pauses and no fillers in smooth speech', () => {
    const features = computeFluencyFeatures(
      transcriptOf([
        ['I', 0, 0.2],
        ['like', 0.3, 0.6],
        ['it', 0.7, 1.0],
      ]),
    );
    expect(features).toMatchObject({
      pauseCount: 0,
      meanPauseSeconds: 0,
      fillerCount: 0,
      wordsPerMinute: 180,
    });
  });

  it('treats only hesitation sounds as fillers, not lexical words like "like"', () => {
    expect(['um', 'Uh,', 'ERM', 'hmm'].every(isFiller)).toBe(true);
    expect(['like', 'well', 'you', 'know', 'umbrella'].some(isFiller)).toBe(false);
  });

  it('refuses an empty transcript', () => {
    expect(() => computeFluencyFeatures({ text: '', words: [] })).toThrow(/at least one spoken word/);
  });
});
