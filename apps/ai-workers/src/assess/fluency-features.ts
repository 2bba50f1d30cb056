import type { SpeakingFeatures } from '@bandup/shared';
import type { TimedWord, Transcript } from './transcribe-transcript.js';

/** A silence between two words longer than this counts as a pause (seconds). */
export const PAUSE_THRESHOLD_SECONDS = 0.5;

/**
 * Filled pauses counted as fillers: the non-lexical hesitation sounds Transcribe writes out.
 *
 * Lexical fillers ("like", "you know", "I mean", "well") are deliberately not counted: in
 * "I like football" or "do you know the answer" they are ordinary words, and telling the two uses
 * apart needs meaning, not word matching. The model sees the full transcript and judges those.
 */
export const FILLER_WORDS: ReadonlySet<string> = new Set([
  'um',
  'umm',
  'uh',
  'uhm',
  'er',
  'erm',
  'ah',
  'hmm',
  'mm',
]);

/** Words Transcribe was unsure about (confidence below this) are listed for the pronunciation estimate. */
export const LOW_CONFIDENCE_THRESHOLD = 0.6;
const MAX_LOW_CONFIDENCE_WORDS = 20;

/**
 * The measured features: the result's `SpeakingFeatures` plus two inputs for the prompt only (the
 * longest pause and the words the recogniser was unsure about).
 */
export interface FluencyFeatures extends SpeakingFeatures {
  /** Every spoken word Transcribe recognised, fillers included. */
  readonly wordCount: number;
  readonly fillerCount: number;
  /** From the first word's start to the last word's end (leading and trailing silence excluded). */
  readonly durationSeconds: number;
  /** Non-filler words per minute of speaking time. */
  readonly wordsPerMinute: number;
  /** Silences between words longer than PAUSE_THRESHOLD_SECONDS. */
  readonly pauseCount: number;
  /** Mean length of those pauses in seconds (0 when there are none). */
  readonly meanPauseSeconds: number;
  readonly longestPauseSeconds: number;
  /** Fillers per 100 spoken words. */
  readonly fillersPer100Words: number;
  /** Mean Transcribe confidence over all spoken words (0..1): an intelligibility signal, not a score. */
  readonly meanConfidence: number;
  /** Up to 20 words recognised with confidence below LOW_CONFIDENCE_THRESHOLD, in order. */
  readonly lowConfidenceWords: readonly {
    readonly word: string;
    readonly at: number;
    readonly confidence: number;
  }[];
}

/** True for a filled pause ("Um," and "uh" alike). */
export function isFiller(word: string): boolean {
  return FILLER_WORDS.has(word.toLowerCase().replace(/[^\p{L}]/gu, ''));
}

const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/**
 * Computes the fluency features from Transcribe's word timings. Everything here is measured, not
 * judged: the model receives these numbers as evidence and still scores the criteria itself.
 * Requires at least one word (an empty transcript fails the job before this point).
 */
export function computeFluencyFeatures(transcript: Transcript): FluencyFeatures {
  const words: readonly TimedWord[] = transcript.words;
  if (words.length === 0) throw new Error('Fluency features need at least one spoken word');

  const fillerCount = words.filter((word) => isFiller(word.text)).length;
  const speakingSeconds = Math.max(0, words[words.length - 1]!.end - words[0]!.start);

  const pauses: number[] = [];
  for (let i = 1; i < words.length; i += 1) {
    const gap = words[i]!.start - words[i - 1]!.end;
    // Rounded to the millisecond first, so 1.1 - 0.6 is not 0.5000000000000001.
    if (round(gap, 3) > PAUSE_THRESHOLD_SECONDS) pauses.push(gap);
  }
  const pauseTotal = pauses.reduce((sum, pause) => sum + pause, 0);

  return {
    wordCount: words.length,
    fillerCount,
    durationSeconds: round(speakingSeconds, 2),
    wordsPerMinute: speakingSeconds > 0 ? round(((words.length - fillerCount) / speakingSeconds) * 60, 1) : 0,
    pauseCount: pauses.length,
    meanPauseSeconds: pauses.length > 0 ? round(pauseTotal / pauses.length, 2) : 0,
    longestPauseSeconds: pauses.length > 0 ? round(Math.max(...pauses), 2) : 0,
    fillersPer100Words: round((fillerCount / words.length) * 100, 1),
    meanConfidence: round(words.reduce((sum, word) => sum + word.confidence, 0) / words.length, 3),
    lowConfidenceWords: words
      .filter((word) => word.confidence < LOW_CONFIDENCE_THRESHOLD && !isFiller(word.text))
      .slice(0, MAX_LOW_CONFIDENCE_WORDS)
      .map((word) => ({ word: word.text, at: word.start, confidence: word.confidence })),
  };
}
