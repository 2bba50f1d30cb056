import { describe, expect, it } from 'vitest';
import { LEARNER_ERROR_MESSAGES, PublicJobErrorSchema, toPublicJobError } from '../src/index.js';

describe('the learner-safe view of a job error', () => {
  it('shows a stored message written for the learner', () => {
    const error = {
      code: 'AUDIO_TOO_LONG',
      message: 'The recording is 3 min 10 s; Part 2 allows 2 min.',
    } as const;
    expect(toPublicJobError(error)).toEqual(error);
  });

  it('replaces a message that carries internals with the code standard message', () => {
    for (const message of [
      'AccessDenied on arn:aws:s3:::bandup-dev-data/uploads/u/x.pdf',
      'account 123456789012 is not allowed',
      'no object at s3://bandup-dev-data/x',
      'missing uploads/user_1/abc.mp3',
      'https://bedrock-runtime.ap-southeast-1.amazonaws.com timed out',
      'ThrottlingException: Rate exceeded',
      'TypeError: x is undefined\n    at parse (/var/task/index.mjs:1:2)',
    ]) {
      expect(toPublicJobError({ code: 'DOCUMENT_UNREADABLE', message }), message).toEqual({
        code: 'DOCUMENT_UNREADABLE',
        message: LEARNER_ERROR_MESSAGES.DOCUMENT_UNREADABLE,
      });
    }
  });

  it('never shows the stored message of internal failures, however harmless it looks', () => {
    for (const code of [
      'INTERNAL_ERROR',
      'RETRIES_EXHAUSTED',
      'REQUEST_REJECTED',
      'DEADLINE_EXCEEDED',
    ] as const) {
      expect(toPublicJobError({ code, message: 'Something failed' })).toEqual({
        code,
        message: LEARNER_ERROR_MESSAGES[code],
      });
    }
  });

  it('every standard message is a valid public error', () => {
    for (const [code, message] of Object.entries(LEARNER_ERROR_MESSAGES)) {
      expect(PublicJobErrorSchema.safeParse({ code, message }).success, code).toBe(true);
    }
  });
});
