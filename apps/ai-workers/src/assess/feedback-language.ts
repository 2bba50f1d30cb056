import type { FeedbackLanguage } from '@bandup/shared';

/**
 * Letters that occur in Vietnamese and (almost) never in English: the vowels with breve,
 * circumflex or horn, đ, and every tone-marked vowel.
 */
const VIETNAMESE_LETTER = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/giu;
const LETTER = /\p{L}/gu;

/**
 * Share of Vietnamese-specific letters below which a text is not Vietnamese. Vietnamese prose has
 * one on most words (about one letter in four); English with a borrowed "café" has about one in a
 * hundred. Low enough that feedback quoting several English phrases still passes.
 */
const MIN_VIETNAMESE_SHARE = 0.05;

/** True when the text reads as Vietnamese (not English that happens to contain an accented word). */
export function looksVietnamese(text: string): boolean {
  const letters = text.match(LETTER)?.length ?? 0;
  const vietnamese = text.match(VIETNAMESE_LETTER)?.length ?? 0;
  return vietnamese > 0 && vietnamese / letters >= MIN_VIETNAMESE_SHARE;
}

/** The validation message for explanatory text in the wrong language (listed back in the repair round). */
function notInLanguageMessage(language: FeedbackLanguage): string {
  return language === 'vi'
    ? 'Must be written in Vietnamese (tiếng Việt); only quoted English words stay in English'
    : 'Must be written in English';
}

/** What a check of one field needs: the text and where it is in the answer. */
export interface LanguageCheckIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * The fields (path and text) of an answer that are not in the requested language. English needs no
 * check: it is the model's default and the language every prompt is written in.
 */
export function fieldsNotIn(
  language: FeedbackLanguage,
  fields: readonly { readonly path: (string | number)[]; readonly text: string }[],
): LanguageCheckIssue[] {
  if (language !== 'vi') return [];
  return fields
    .filter((field) => !looksVietnamese(field.text))
    .map((field) => ({ path: field.path, message: notInLanguageMessage(language) }));
}

/**
 * The prompt paragraph that asks for explanations in the learner's language. Empty for English
 * (the prompts are written in English and ask for English already).
 */
export function languageInstruction(
  language: FeedbackLanguage,
  explained: string,
  keptInEnglish: string,
): string[] {
  if (language !== 'vi') return [];
  return [
    '',
    `Language: the learner is Vietnamese. Write ${explained} in Vietnamese (tiếng Việt), clearly and`,
    `naturally, using IELTS terms a Vietnamese learner knows. Keep ${keptInEnglish} in English, exactly as`,
    "written: never translate the learner's words. JSON keys and fixed values stay in English.",
  ];
}
