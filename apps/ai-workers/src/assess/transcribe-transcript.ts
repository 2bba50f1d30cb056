import * as z from '@bandup/shared/zod';

/*
 * The transcript file Amazon Transcribe writes for a batch job (the fields the workers read).
 * Times and confidences are decimal strings in seconds / 0..1; punctuation items have no times.
 * Objects are not strict: AWS adds fields (audio_segments, language_identification, ...) over time.
 */
const decimalString = z.pipe(
  z.string().check(z.regex(/^\d+(\.\d+)?$/, { message: 'Must be a non-negative decimal number' })),
  z.transform(Number),
);

const AlternativeSchema = z.object({ content: z.string(), confidence: z.optional(decimalString) });

const PronunciationItemSchema = z.object({
  type: z.literal('pronunciation'),
  start_time: decimalString,
  end_time: decimalString,
  alternatives: z.array(AlternativeSchema).check(z.minLength(1)),
});
const PunctuationItemSchema = z.object({
  type: z.literal('punctuation'),
  alternatives: z.array(AlternativeSchema).check(z.minLength(1)),
});

const TranscribeTranscriptSchema = z.object({
  jobName: z.optional(z.string()),
  results: z.object({
    transcripts: z.array(z.object({ transcript: z.string() })),
    items: z.array(z.discriminatedUnion('type', [PronunciationItemSchema, PunctuationItemSchema])),
  }),
});

/** One spoken word with its timing (seconds) and Transcribe's confidence (0..1). */
export interface TimedWord {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly confidence: number;
}

export interface Transcript {
  /** The transcript text as Transcribe punctuated it. */
  readonly text: string;
  /** Spoken words in order (punctuation left out). */
  readonly words: readonly TimedWord[];
}

/**
 * Parses a Transcribe transcript file. Throws an error naming the bad field when the file does not
 * have the documented shape (the caller turns it into a job failure).
 */
export function parseTranscribeTranscript(json: unknown): Transcript {
  const parsed = TranscribeTranscriptSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Transcript file does not have the Amazon Transcribe shape: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  const words: TimedWord[] = [];
  for (const item of parsed.data.results.items) {
    if (item.type !== 'pronunciation') continue;
    const best = item.alternatives[0]!;
    words.push({
      text: best.content,
      start: item.start_time,
      end: item.end_time,
      confidence: best.confidence ?? 0,
    });
  }
  const text = parsed.data.results.transcripts
    .map((t) => t.transcript)
    .join(' ')
    .trim();
  return { text, words };
}
