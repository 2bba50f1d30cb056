import { stemmer } from 'stemmer';

/**
 * English function words: left out of keyword counts and of question comparison, where they
 * would make "What is X?" and "What is Y?" look alike.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have having ' +
    'he her here hers herself him himself his how however i if in into is it its itself just let may me might ' +
    'more most must my myself no nor not now of off on once only or other ought our ours ourselves out over own ' +
    'same shall she should so some such than that the their theirs them themselves then there these they this ' +
    'those through thus to too under until up upon us very was we were what when where which while who whom ' +
    'whose why will with within without would yet you your yours yourself yourselves one two three many much ' +
    'often used use using called known like well e.g i.e etc page chapter section figure table'
  ).split(' '),
);

/** Words that only frame a question ("define", "explain") and say nothing about its subject. */
export const QUESTION_WORDS: ReadonlySet<string> = new Set(
  (
    'define definition describe explain meant mean means term refer refers name identify state give list ' +
    'according following true false fill blank complete example'
  ).split(' '),
);

/** Lower-cased word tokens with diacritics removed; numbers are kept (dates and values matter). */
export function tokenize(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu) ?? []
  );
}

/** The Porter stem of a token ("cells" -> "cell", "released" -> "releas"), for comparing short questions. */
export function fold(token: string): string {
  return stemmer(token);
}
