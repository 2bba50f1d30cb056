import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatIssues, formatPath, ROOT_PATH } from '../src/index.js';

describe('formatPath', () => {
  it.each([
    [['questions', 2], 'questions[2]'],
    [['payload', 'questions', 0], 'payload.questions[0]'],
    [['cards', 3, 'citations', 0, 'chunkId'], 'cards[3].citations[0].chunkId'],
    [[0, 'a'], '[0].a'],
    [[], ROOT_PATH],
  ] as [PropertyKey[], string][])('%j -> %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe('formatIssues', () => {
  const schema = z.strictObject({
    name: z
      .string()
      .min(3)
      .regex(/^[a-z]+$/, 'Lower case only'),
    tags: z.array(z.string()),
  });

  it('gives one entry per field, joining several problems with one field', () => {
    const result = schema.safeParse({ name: 'A', tags: ['ok', 5], extra: 1, more: 2 });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(formatIssues(result.error)).toEqual([
      { path: 'name', message: 'Too small: expected string to have >=3 characters; Lower case only' },
      { path: 'tags[1]', message: 'Invalid input: expected string, received number' },
      { path: 'extra', message: 'Unknown field' },
      { path: 'more', message: 'Unknown field' },
    ]);
  });
});
