import type { SpeakingCriterion } from '@bandup/shared';
import { BELOW_BAND_3, type CriterionGuide } from './writing-descriptors.js';

/*
 * Key features of the public IELTS Speaking band descriptors, per criterion, summarised in our own
 * words for the examiner prompt. The model reads a transcript, not audio: Pronunciation is therefore
 * an estimate from indirect evidence (Transcribe's word confidences), and the prompt says so.
 */

export interface SpeakingCriterionGuide extends Omit<CriterionGuide, 'key'> {
  readonly key: SpeakingCriterion;
}

export const SPEAKING_CRITERION_GUIDES: readonly SpeakingCriterionGuide[] = [
  {
    key: 'fluencyCoherence',
    name: 'Fluency and Coherence',
    focus:
      'How readily the candidate keeps talking at length without effort, how often they hesitate or ' +
      'repeat and why (searching for language or for ideas), and how logically they connect ideas with ' +
      'a range of discourse markers.',
    bands: [
      [
        9,
        'Speaks fluently with only rare, content-related hesitation; fully coherent; topics fully developed.',
      ],
      [
        8,
        'Speaks fluently with only occasional repetition or self-correction; hesitation mostly to find ideas, not words; develops topics coherently.',
      ],
      [
        7,
        'Speaks at length without noticeable effort; some language-related hesitation, repetition or self-correction; a range of connectives and discourse markers used flexibly.',
      ],
      [
        6,
        'Willing to speak at length but loses coherence at times through repetition, self-correction or hesitation; connectives used, not always appropriately.',
      ],
      [
        5,
        'Usually keeps going but relies on repetition, self-correction and slow speech; over-uses certain connectives; simple speech fluent, complex communication causes problems.',
      ],
      [
        4,
        'Cannot respond without noticeable pauses; speaks slowly with frequent repetition; links only basic sentences with simple connectives.',
      ],
      [3, 'Long pauses; limited ability to link simple sentences; gives only simple responses.'],
    ],
  },
  {
    key: 'lexicalResource',
    name: 'Lexical Resource',
    focus:
      'The range and precision of vocabulary, idiomatic language and collocation, and the ability to paraphrase.',
    bands: [
      [9, 'Full flexibility and precision on all topics; idiomatic language used naturally and accurately.'],
      [
        8,
        'Wide resource used readily and flexibly for precise meaning; less common and idiomatic items used skilfully with occasional inaccuracies; paraphrases effectively.',
      ],
      [
        7,
        'Flexible enough to discuss a variety of topics; some less common and idiomatic vocabulary with awareness of style and collocation, with some inappropriate choices; paraphrases effectively.',
      ],
      [
        6,
        'Wide enough vocabulary to discuss topics at length and make meaning clear despite inappropriacies; generally paraphrases successfully.',
      ],
      [
        5,
        'Manages familiar and unfamiliar topics but with limited flexibility; attempts paraphrase with mixed success.',
      ],
      [
        4,
        'Enough vocabulary for familiar topics only; frequent errors in word choice; rarely attempts paraphrase.',
      ],
      [3, 'Simple vocabulary for personal information; insufficient for less familiar topics.'],
    ],
  },
  {
    key: 'grammaticalRangeAccuracy',
    name: 'Grammatical Range and Accuracy',
    focus: 'The range of spoken structures and how accurately they are used.',
    bands: [
      [
        9,
        'Full range of structures used naturally and appropriately; consistently accurate apart from native-speaker-like slips.',
      ],
      [
        8,
        'Wide range used flexibly; most sentences error-free, with only occasional inappropriacies or non-systematic errors.',
      ],
      [
        7,
        'A range of complex structures used with some flexibility; frequently error-free sentences, though some grammatical mistakes persist.',
      ],
      [
        6,
        'A mix of simple and complex structures with limited flexibility; frequent mistakes with complex structures that rarely cause comprehension problems.',
      ],
      [
        5,
        'Basic sentence forms reasonably accurate; a limited range of complex structures, usually with errors that may cause some comprehension problems.',
      ],
      [
        4,
        'Basic sentence forms and some simple subordinate clauses; errors frequent and may lead to misunderstanding.',
      ],
      [3, 'Attempts basic forms with limited success or relies on memorised utterances; numerous errors.'],
    ],
  },
  {
    key: 'pronunciation',
    name: 'Pronunciation',
    focus:
      'How easy the candidate is to understand, and their control of individual sounds, word and sentence ' +
      'stress, rhythm and intonation. Here it can only be ESTIMATED: you read a machine transcript, and ' +
      "the speech recogniser's confidence per word is indirect evidence of intelligibility.",
    bands: [
      [9, 'A full range of features used with precision and subtlety; effortless to understand throughout.'],
      [
        8,
        'A wide range of features; easy to understand throughout; accent has minimal effect on intelligibility.',
      ],
      [7, 'All positive features of band 6 and some of band 8; generally easy to understand.'],
      [
        6,
        'A range of features with mixed control; generally understood, though some words or sounds are mispronounced and reduce clarity at times.',
      ],
      [5, 'All positive features of band 4 and some of band 6.'],
      [4, 'A limited range of features; frequent mispronunciations cause some difficulty for the listener.'],
      [3, 'Some features of band 2 and some of band 4; often hard to understand.'],
    ],
  },
];

/** Renders a Speaking criterion guide for a prompt. */
export function renderSpeakingGuide(guide: SpeakingCriterionGuide): string {
  return [
    `${guide.name} ("${guide.key}"): ${guide.focus}`,
    ...guide.bands.map(([band, features]) => `  Band ${band}: ${features}`),
    `  Bands 0-2: ${BELOW_BAND_3}`,
  ].join('\n');
}
