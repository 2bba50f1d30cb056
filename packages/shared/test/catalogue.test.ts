import { describe, expect, it } from 'vitest';
import {
  API_OPERATIONS,
  COMMON_ENV_VARS,
  consumerOf,
  DEFAULT_MAX_RECEIVE_COUNT,
  deadLetterQueueName,
  ENV_VARS,
  type EnvVarKey,
  envVarNamesFor,
  FUNCTION_NAMES,
  JOB_KINDS,
  QUEUE_NAMES,
  readWorkerEnv,
  S3_PREFIXES,
  SUBMIT_QUEUE_BY_KIND,
  VISIBILITY_TIMEOUT_FACTOR,
  WORKER_CATALOGUE,
  WORKER_FUNCTIONS,
} from '../src/index.js';

/** SQS's largest visibility timeout: 12 hours. */
const SQS_MAX_VISIBILITY_SECONDS = 12 * 3600;

describe('worker catalogue', () => {
  it('has one entry per function name, keyed by its own name', () => {
    expect(Object.keys(WORKER_CATALOGUE).sort()).toEqual([...FUNCTION_NAMES].sort());
    for (const name of FUNCTION_NAMES) expect(WORKER_CATALOGUE[name].name).toBe(name);
    expect(WORKER_FUNCTIONS.map((f) => f.name)).toEqual([...FUNCTION_NAMES]);
  });

  it('names only queues that exist, and every queue has exactly one consumer', () => {
    for (const fn of WORKER_FUNCTIONS) {
      if (fn.trigger.type !== 'sqs') continue;
      for (const queue of fn.trigger.queues) expect(QUEUE_NAMES, `${fn.name} -> ${queue}`).toContain(queue);
    }
    for (const queue of QUEUE_NAMES) {
      const consumers = WORKER_FUNCTIONS.filter(
        (fn) =>
          fn.trigger.type === 'sqs' && fn.trigger.source === 'queue' && fn.trigger.queues.includes(queue),
      );
      expect(
        consumers.map((c) => c.name),
        queue,
      ).toHaveLength(1);
      expect(consumerOf(queue).name).toBe(consumers[0]?.name);
    }
  });

  it('routes each job kind to a queue whose consumer is the worker of that kind', () => {
    for (const kind of JOB_KINDS) {
      const queue = SUBMIT_QUEUE_BY_KIND[kind];
      expect(consumerOf(queue).name).toBe(kind);
    }
    expect([...WORKER_CATALOGUE.submit.access.sendsTo].sort()).toEqual(
      Object.values(SUBMIT_QUEUE_BY_KIND).sort(),
    );
  });

  it("has the dead-letter function drain every queue's DLQ", () => {
    const trigger = WORKER_CATALOGUE['dead-letter'].trigger;
    expect(trigger.type === 'sqs' && trigger.source).toBe('dlq');
    expect(trigger.type === 'sqs' && [...trigger.queues].sort()).toEqual([...QUEUE_NAMES].sort());
    expect(deadLetterQueueName('writing')).toBe('writing-dlq');
    expect(DEFAULT_MAX_RECEIVE_COUNT).toBeGreaterThanOrEqual(2);
  });

  it('finds the consumer of a dead-letter queue, among the functions it is given', () => {
    for (const queue of QUEUE_NAMES) expect(consumerOf(queue, 'dlq').name).toBe('dead-letter');
    const withoutDeadLetter = WORKER_FUNCTIONS.filter((fn) => fn.name !== 'dead-letter');
    expect(consumerOf('writing', 'queue', withoutDeadLetter).name).toBe('writing');
    expect(() => consumerOf('writing', 'dlq', withoutDeadLetter)).toThrow(
      'No function consumes the dead-letter queue of queue "writing" in the worker catalogue',
    );
    expect(() => consumerOf('writing', 'queue', [])).toThrow(
      'No function consumes queue "writing" in the worker catalogue',
    );
  });

  it('keeps SQS settings inside the service limits', () => {
    for (const fn of WORKER_FUNCTIONS) {
      expect(fn.timeoutSeconds).toBeGreaterThan(0);
      expect(fn.timeoutSeconds).toBeLessThanOrEqual(900);
      expect(fn.memoryMb).toBeGreaterThanOrEqual(128);
      expect(fn.memoryMb).toBeLessThanOrEqual(10_240);
      if (fn.trigger.type !== 'sqs') continue;
      expect(fn.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR, fn.name).toBeLessThanOrEqual(
        SQS_MAX_VISIBILITY_SECONDS,
      );
      expect(fn.trigger.batchSize).toBeGreaterThanOrEqual(1);
      expect(fn.trigger.batchSize).toBeLessThanOrEqual(10);
      expect(fn.trigger.maxConcurrency).toBeGreaterThanOrEqual(2);
      expect(fn.trigger.maxConcurrency).toBeLessThanOrEqual(1000);
      // A mapping's concurrency above the function's reserved concurrency would only cause throttling.
      expect(fn.trigger.maxConcurrency, fn.name).toBeLessThanOrEqual(fn.reservedConcurrency);
    }
  });

  it('scopes bucket access to the known prefixes', () => {
    const prefixes = Object.values(S3_PREFIXES) as string[];
    for (const fn of WORKER_FUNCTIONS) {
      for (const prefix of [...fn.access.dataBucketRead, ...fn.access.dataBucketWrite]) {
        expect(prefixes, `${fn.name}: ${prefix}`).toContain(prefix);
      }
    }
  });

  it('ties the API routes to the same functions as API_OPERATIONS', () => {
    const fromCatalogue = WORKER_FUNCTIONS.flatMap((fn) =>
      fn.trigger.type === 'api' ? fn.trigger.routes.map((r) => `${r.method} ${r.path} -> ${fn.name}`) : [],
    ).sort();
    const fromOperations = API_OPERATIONS.map((op) => `${op.method} ${op.path} -> ${op.functionName}`).sort();
    expect(fromOperations).toEqual(fromCatalogue);
  });
});

describe('env vars', () => {
  it('uses unique, well-formed names', () => {
    const names = Object.values(ENV_VARS);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Z][A-Z0-9_]*$/);
  });

  it('gives every function the common vars plus its own, without duplicates', () => {
    for (const name of FUNCTION_NAMES) {
      const vars = envVarNamesFor(name);
      expect(new Set(vars).size, name).toBe(vars.length);
      for (const key of [...COMMON_ENV_VARS, ...WORKER_CATALOGUE[name].env])
        expect(vars).toContain(ENV_VARS[key]);
    }
    expect(envVarNamesFor('flashcards')).toContain('BANDUP_GEMINI_SECRET_ARN');
    expect(envVarNamesFor('status')).not.toContain('BANDUP_GEMINI_SECRET_ARN');
  });

  it('readWorkerEnv lists every missing variable at once', () => {
    const declared = WORKER_CATALOGUE.flashcards.env.map((key) => ENV_VARS[key]);
    expect(() => readWorkerEnv('flashcards', {})).toThrow(
      `Function "flashcards" is missing environment variable(s): ${declared.join(', ')}`,
    );
    const partial = Object.fromEntries(declared.slice(1).map((name) => [name, 'x']));
    expect(() => readWorkerEnv('flashcards', partial)).toThrow(
      `Function "flashcards" is missing environment variable(s): ${declared[0]}`,
    );
  });

  it('readWorkerEnv returns the values and get() fails on an unset optional one', () => {
    const source = Object.fromEntries(
      WORKER_CATALOGUE.writing.env.map((key: EnvVarKey) => [ENV_VARS[key], `value-of-${key}`]),
    );
    const env = readWorkerEnv('writing', source);
    expect(env.jobsTable).toBe('value-of-jobsTable');
    expect(env.get('assessmentModelId')).toBe('value-of-assessmentModelId');
    expect(() => env.get('geminiSecretArn')).toThrow(
      'Function "writing" reads BANDUP_GEMINI_SECRET_ARN, which is not set',
    );
  });
});
