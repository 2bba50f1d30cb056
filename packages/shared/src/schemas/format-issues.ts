import type { FieldError } from './api-responses.js';
import type * as z from './zod.js';

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
 * Every problem in a zod error as `{ path, message }`, one entry per bad field in the order found:
 * an unknown-keys issue becomes one entry per unknown field, and several problems with one field
 * (e.g. too short and blank) are joined into that field's message.
 */
export function formatIssues(error: z.core.$ZodError): FieldError[] {
  const byPath = new Map<string, string[]>();
  const add = (path: string, message: string) => {
    const messages = byPath.get(path);
    if (!messages) byPath.set(path, [message]);
    else if (!messages.includes(message)) messages.push(message);
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(formatPath([...issue.path, key]), 'Unknown field');
    } else {
      add(formatPath(issue.path), issue.message);
    }
  }
  return [...byPath].map(([path, messages]) => ({ path, message: messages.join('; ') }));
}
