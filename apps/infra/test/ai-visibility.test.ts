import { VISIBILITY_TIMEOUT_FACTOR } from '@bandup/shared';
import { describe, expect, it } from 'vitest';
import { dev } from '../src/config/dev.js';
import { loadEnvironment } from '../src/config/index.js';
import {
  assertVisibilityTimeouts,
  defaultVisibilityTimeout,
  visibilityTimeoutViolations,
} from '../src/constructs/serverless/queue-visibility.js';
import { synthAi } from './ai-fixture.js';

const consumer = { name: 'writing', timeoutSeconds: 120 };

describe('SQS visibility timeout rule', () => {
  it('defaults to six times the consumer timeout plus the batching window', () => {
    expect(VISIBILITY_TIMEOUT_FACTOR).toBe(6);
    expect(defaultVisibilityTimeout(120)).toBe(720);
    expect(defaultVisibilityTimeout(30, 5)).toBe(185);
  });

  it('accepts exactly six times the timeout', () => {
    expect(
      visibilityTimeoutViolations([{ queue: 'writing', visibilityTimeoutSeconds: 720, consumer }]),
    ).toEqual([]);
  });

  it('rejects a visibility below six times the consumer timeout, naming queue, value, source and minimum', () => {
    const problems = visibilityTimeoutViolations([
      {
        queue: 'writing',
        visibilityTimeoutSeconds: 719,
        consumer,
        source: 'config.ai.queueVisibilityTimeoutSeconds.writing',
      },
    ]);
    expect(problems).toEqual([
      'queue "writing" (config.ai.queueVisibilityTimeoutSeconds.writing): visibility timeout 719 s is below 6 x the ' +
        '120 s timeout of its consumer "writing" (minimum 720 s)',
    ]);
    expect(() =>
      assertVisibilityTimeouts([{ queue: 'writing', visibilityTimeoutSeconds: 180, consumer }]),
    ).toThrow(
      /SQS visibility timeout rule violated:\n {2}- queue "writing": visibility timeout 180 s is below/,
    );
  });

  it('rejects a consumer too slow for the SQS maximum and a fractional value', () => {
    const slow = { name: 'slow', timeoutSeconds: 7_300 };
    expect(
      visibilityTimeoutViolations([{ queue: 'q', visibilityTimeoutSeconds: 43_800, consumer: slow }])[0],
    ).toMatch(/exceeds the SQS maximum of 43200 s/);
    expect(
      visibilityTimeoutViolations([{ queue: 'q', visibilityTimeoutSeconds: 720.5, consumer }])[0],
    ).toMatch(/not a whole number/);
  });

  it('fails synth when a config override breaks the rule', () => {
    const config = loadEnvironment({
      ...dev,
      ai: { ...dev.ai, queueVisibilityTimeoutSeconds: { flashcards: 900 } },
    });
    expect(() => synthAi([config])).toThrow(
      /queue "flashcards" \(config\.ai\.queueVisibilityTimeoutSeconds\.flashcards\): visibility timeout 900 s is below 6 x the 300 s timeout of its consumer "flashcards" \(minimum 1800 s\)/,
    );
  });

  it('a compliant override is used as given', () => {
    const config = loadEnvironment({
      ...dev,
      ai: { ...dev.ai, queueVisibilityTimeoutSeconds: { writing: 1200 } },
    });
    const stack = synthAi([config]).stacks['bandup-dev-ai'];
    const queue = Object.values(
      stack?.resource.aws_sqs_queue as Record<string, { name: string; visibility_timeout_seconds: number }>,
    ).find((q) => q.name === 'bandup-dev-writing');
    expect(queue?.visibility_timeout_seconds).toBe(1200);
  }, 60_000);
});
