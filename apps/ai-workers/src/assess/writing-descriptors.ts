import type { WritingCriterion } from '@bandup/shared';

/*
 * Key features of the public IELTS Writing band descriptors, per criterion, summarised in our own
 * words for the examiner prompt. Each line says what typically separates a band from the one below;
 * the model places the answer on that ladder and cites evidence.
 */

type WritingCriterionKey = WritingCriterion;

export interface CriterionGuide {
  readonly key: WritingCriterionKey;
  readonly name: string;
  /** What the criterion looks at. */
  readonly focus: string;
  /** Band -> key features, highest first. */
  readonly bands: readonly (readonly [band: number, features: string])[];
}

const TASK_ACHIEVEMENT: CriterionGuide = {
  key: 'taskAchievement',
  name: 'Task Achievement',
  focus:
    'How fully and accurately the answer reports what the task asks for: an overview of the main trends, ' +
    'stages or differences, key features selected and supported with data, no invented information.',
  bands: [
    [
      9,
      'All requirements met; a clear overview; key features fully and accurately presented; nothing irrelevant.',
    ],
    [
      8,
      'Requirements covered well; overview clear; key features well selected, with only occasional omissions.',
    ],
    [
      7,
      'Requirements covered; a clear overview; key features highlighted, though some could be developed more.',
    ],
    [
      6,
      'Addresses the requirements; an overview is attempted; key features covered but some details are irrelevant, inaccurate or mechanically listed.',
    ],
    [
      5,
      'Only generally addresses the task; no clear overview; key features not adequately covered; may focus on detail or include inaccurate data.',
    ],
    [4, 'Attempts the task but misses key features or misrepresents them; format may be unsuitable.'],
    [3, 'Largely fails to address the task; very limited or irrelevant content.'],
  ],
};

const TASK_ACHIEVEMENT_LETTER: CriterionGuide = {
  key: 'taskAchievement',
  name: 'Task Achievement',
  focus:
    'How fully the letter covers every bullet point of the task, whether its purpose is clear, and whether ' +
    'the tone suits the reader and the situation.',
  bands: [
    [
      9,
      'All requirements fully met; every bullet point covered and extended; purpose and tone entirely appropriate.',
    ],
    [8, 'All bullet points covered well and extended; purpose clear; tone consistent and appropriate.'],
    [
      7,
      'All bullet points covered and clearly highlighted, some more fully than others; purpose clear; tone consistent.',
    ],
    [
      6,
      'All bullet points addressed but some unevenly or with irrelevant detail; purpose generally clear; tone may slip.',
    ],
    [
      5,
      'Bullet points only generally addressed, one may be missed or underdeveloped; purpose unclear at times; tone variable.',
    ],
    [
      4,
      'Bullet points attempted but key parts missed or misunderstood; purpose unclear; tone inappropriate.',
    ],
    [3, 'Fails to address most of the task; purpose unclear; very limited relevant content.'],
  ],
};

const TASK_RESPONSE: CriterionGuide = {
  key: 'taskAchievement',
  name: 'Task Response',
  focus:
    'How fully the answer addresses every part of the question, how clear and consistent its position is, ' +
    'and how well its main ideas are extended and supported.',
  bands: [
    [
      9,
      'Every part of the question fully addressed; a fully developed, consistent position; ideas extended and well supported.',
    ],
    [
      8,
      'Question sufficiently addressed; a well-developed response with relevant, extended, supported ideas; rare lapses.',
    ],
    [
      7,
      'All parts addressed; a clear position throughout; main ideas extended and supported, though some may over-generalise or lack focus.',
    ],
    [
      6,
      'All parts addressed but some more fully than others; a relevant position, though conclusions may be unclear or repetitive; some ideas insufficiently developed.',
    ],
    [
      5,
      'Only partly addresses the question; position unclear or inconsistent; main ideas limited, not well developed, or partly irrelevant.',
    ],
    [
      4,
      'Responds only minimally or tangentially; position hard to identify; ideas few, repetitive or unsupported.',
    ],
    [
      3,
      'Does not adequately address any part of the question; no clear position; few, largely undeveloped or irrelevant ideas.',
    ],
  ],
};

const COHERENCE_COHESION: CriterionGuide = {
  key: 'coherenceCohesion',
  name: 'Coherence and Cohesion',
  focus:
    'How logically information and ideas are organised and sequenced, paragraphing, and the range and ' +
    'accuracy of linking words, reference and substitution.',
  bands: [
    [9, 'Cohesion so natural it attracts no attention; paragraphing skilfully managed.'],
    [
      8,
      'Information sequenced logically; all aspects of cohesion managed well; paragraphing sufficient and appropriate.',
    ],
    [
      7,
      'Clear progression throughout; a range of cohesive devices used appropriately, with some under- or over-use; a clear central topic in each paragraph.',
    ],
    [
      6,
      'Coherent arrangement and overall progression; cohesive devices effective but sometimes faulty or mechanical; reference not always clear; paragraphing not always logical.',
    ],
    [
      5,
      'Some organisation but lacks overall progression; inadequate, inaccurate or over-used linking; repetitive due to little referencing; paragraphing inadequate or missing.',
    ],
    [
      4,
      'Information not arranged coherently; basic linking devices, inaccurate or repetitive; may lack paragraphs.',
    ],
    [3, 'Ideas not organised logically; very limited and mostly inaccurate linking.'],
  ],
};

const LEXICAL_RESOURCE: CriterionGuide = {
  key: 'lexicalResource',
  name: 'Lexical Resource',
  focus: 'The range, precision and appropriacy of vocabulary, collocation, word formation and spelling.',
  bands: [
    [9, 'Wide range used naturally and with full flexibility and precision; errors only as rare slips.'],
    [
      8,
      'Wide range used fluently to convey precise meanings; skilful use of less common items with occasional inaccuracies in word choice or collocation; rare spelling or word-formation errors.',
    ],
    [
      7,
      'Enough range for some flexibility and precision; less common items used with awareness of style and collocation; occasional errors in word choice, spelling or word formation.',
    ],
    [
      6,
      'Adequate range for the task; attempts less common vocabulary with some inaccuracy; some spelling or word-formation errors that do not impede communication.',
    ],
    [
      5,
      'Limited range, minimally adequate; noticeable errors in spelling or word formation that may cause the reader some difficulty.',
    ],
    [
      4,
      'Only basic, repetitive vocabulary, possibly used inappropriately; limited control of word formation and spelling that may strain the reader.',
    ],
    [3, 'Very limited range and control; errors may severely distort the message.'],
  ],
};

const GRAMMATICAL_RANGE_ACCURACY: CriterionGuide = {
  key: 'grammaticalRangeAccuracy',
  name: 'Grammatical Range and Accuracy',
  focus: 'The range of sentence structures and the accuracy of grammar and punctuation.',
  bands: [
    [9, 'Wide range of structures with full flexibility and accuracy; errors only as rare slips.'],
    [
      8,
      'Wide range of structures; the majority of sentences error-free; only very occasional errors or inappropriacies.',
    ],
    [
      7,
      'A variety of complex structures; frequent error-free sentences; good control of grammar and punctuation with a few errors.',
    ],
    [
      6,
      'A mix of simple and complex sentence forms; some errors in grammar and punctuation that rarely reduce communication.',
    ],
    [
      5,
      'Only a limited range of structures; complex sentences attempted but less accurate than simple ones; frequent errors that may cause some difficulty for the reader.',
    ],
    [
      4,
      'A very limited range; subordinate clauses rare; some accurate structures but errors predominate and punctuation is often faulty.',
    ],
    [3, 'Attempts sentence forms but errors predominate and distort the meaning.'],
  ],
};

/** The four Writing criteria for a task type (Task 1 uses Task Achievement, Task 2 Task Response). */
export function writingCriteria(
  taskType: 'task1-academic' | 'task1-general' | 'task2',
): readonly CriterionGuide[] {
  return [
    taskType === 'task2'
      ? TASK_RESPONSE
      : taskType === 'task1-general'
        ? TASK_ACHIEVEMENT_LETTER
        : TASK_ACHIEVEMENT,
    COHERENCE_COHESION,
    LEXICAL_RESOURCE,
    GRAMMATICAL_RANGE_ACCURACY,
  ];
}

/** The bottom of every scale, the same for all criteria. */
export const BELOW_BAND_3 =
  "Hardly any relevant or intelligible language (band 1-2), or no attempt at all / not the candidate's own work (band 0).";

/** Renders a criterion guide for a prompt. */
export function renderCriterionGuide(guide: CriterionGuide): string {
  return [
    `${guide.name} ("${guide.key}"): ${guide.focus}`,
    ...guide.bands.map(([band, features]) => `  Band ${band}: ${features}`),
    `  Bands 0-2: ${BELOW_BAND_3}`,
  ].join('\n');
}
