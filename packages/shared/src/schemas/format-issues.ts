import type { z } from 'zod';
import type { FieldError } from './api-responses.js';

/** Path shown for an issue about the value as a whole (e.g. the body is not an object). */
export const ROOT_PATH = '(root)';

/** `['questions', 2, 'text']` -> `questions[2].text`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const name = String(segment);
      out += out === '' ? name : `.${name}`;
    }
  }
  return out === '' ? ROOT_PATH : out;
}

/**
 * Every problem in a zod error as `{ path, message }`, one entry per bad field: an unknown-keys
 * issue becomes one entry per unknown field, so a 400 names each of them.
 */
export function formatIssues(error: z.ZodError): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ path: formatPath([...issue.path, key]), message: 'Unknown field' });
      }
      continue;
    }
    out.push({ path: formatPath(issue.path), message: issue.message });
  }
  return out;
}
