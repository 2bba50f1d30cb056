import {
  type ApiErrorCode,
  JOB_RESULT_SCHEMAS,
  JobIdSchema,
  type JobKind,
  type SpeakingResult,
  type SpeakingTestBandResponse,
  SpeakingTestBandResponseSchema,
  speakingTestBands,
  UserIdSchema,
  type WritingResult,
  type WritingTestBandResponse,
  WritingTestBandResponseSchema,
  writingTestBand,
} from '@bandup/shared';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { callerPrincipal } from '../http/caller-identity.js';
import { badRequest, type FieldProblem, HttpError } from '../http/http-error.js';
import { readQuery } from '../http/query.js';
import { jsonResponse } from '../http/responses.js';
import { isExpired } from '../jobs/job-expiry.js';
import type { JobStore } from '../jobs/job-store.js';

export interface TestBandDeps {
  readonly store: Pick<JobStore, 'get' | 'resultOf'>;
  readonly now?: () => Date;
}

/** A job that cannot be part of the test, with the answer it calls for. */
interface PartProblem extends FieldProblem {
  readonly status: 409 | 422;
  readonly code: ApiErrorCode;
}

type PartLoad<R> =
  | { readonly ok: true; readonly result: R }
  | { readonly ok: false; readonly problem: PartProblem };

const WRITING_QUERY = {
  userId: { schema: UserIdSchema, required: true },
  task1JobId: { schema: JobIdSchema, required: true },
  task2JobId: { schema: JobIdSchema, required: true },
} as const;
const SPEAKING_QUERY = {
  userId: { schema: UserIdSchema, required: true },
  part1JobId: { schema: JobIdSchema, required: true },
  part2JobId: { schema: JobIdSchema, required: true },
  part3JobId: { schema: JobIdSchema, required: true },
} as const;

/**
 * `GET /v1/writing/test-band` and `GET /v1/speaking/test-band`: combine finished jobs of one learner
 * into the band of a whole test with the shared band maths (never the model). Every named job is
 * checked and every problem listed: 409 `PART_NOT_FINISHED` when a job is still QUEUED or RUNNING
 * (ask again later), otherwise 422 with `PART_MISSING`, `PART_OF_ANOTHER_LEARNER`, `PART_FAILED` or
 * `PART_MISMATCH` (wrong kind, task type or part).
 */
export function createTestBandRoute(deps: TestBandDeps) {
  const now = deps.now ?? (() => new Date());
  const load = async <K extends 'writing' | 'speaking'>(
    userId: string,
    parameter: string,
    jobId: string,
    kind: K,
  ): Promise<PartLoad<K extends 'writing' ? WritingResult : SpeakingResult>> => {
    const fail = (status: 409 | 422, code: ApiErrorCode, message: string) =>
      ({ ok: false, problem: { path: `query.${parameter}`, message, status, code } }) as const;
    const item = await deps.store.get(jobId);
    if (!item || isExpired(item, now())) {
      return fail(422, 'PART_MISSING', `No job ${jobId} (jobs expire 30 days after submission)`);
    }
    if (item.userId !== userId)
      return fail(422, 'PART_OF_ANOTHER_LEARNER', `Job ${jobId} belongs to another learner`);
    if (item.kind !== kind)
      return fail(422, 'PART_MISMATCH', `Job ${jobId} is a ${item.kind} job, not ${kind}`);
    if (item.status === 'FAILED') {
      return fail(
        422,
        'PART_FAILED',
        `Job ${jobId} FAILED (${item.error?.code ?? 'unknown'}); it has no band`,
      );
    }
    if (item.status !== 'SUCCEEDED') {
      return fail(409, 'PART_NOT_FINISHED', `Job ${jobId} is ${item.status}; ask again once it has finished`);
    }
    const result = JOB_RESULT_SCHEMAS[kind as JobKind].parse(await deps.store.resultOf(item));
    return { ok: true, result: result as K extends 'writing' ? WritingResult : SpeakingResult };
  };

  const writing = async (event: APIGatewayProxyEvent): Promise<WritingTestBandResponse> => {
    const q = readQuery(event, WRITING_QUERY);
    assertDistinct([
      ['task1JobId', q.task1JobId],
      ['task2JobId', q.task2JobId],
    ]);
    const [task1, task2] = await Promise.all([
      load(q.userId, 'task1JobId', q.task1JobId, 'writing'),
      load(q.userId, 'task2JobId', q.task2JobId, 'writing'),
    ]);
    const problems = [task1, task2].flatMap((p) => (p.ok ? [] : [p.problem]));
    if (task1.ok && task1.result.taskType === 'task2') {
      problems.push(mismatch('task1JobId', `Job ${q.task1JobId} assessed a Task 2 essay, not Task 1`));
    }
    if (task2.ok && task2.result.taskType !== 'task2') {
      problems.push(
        mismatch('task2JobId', `Job ${q.task2JobId} assessed ${task2.result.taskType}, not Task 2`),
      );
    }
    if (problems.length > 0 || !task1.ok || !task2.ok) throw partsError(problems);
    return {
      band: writingTestBand(task1.result.taskBand, task2.result.taskBand),
      task1: {
        jobId: q.task1JobId,
        taskType: task1.result.taskType as 'task1-academic' | 'task1-general',
        taskBand: task1.result.taskBand,
      },
      task2: { jobId: q.task2JobId, taskBand: task2.result.taskBand },
    };
  };

  const speaking = async (event: APIGatewayProxyEvent): Promise<SpeakingTestBandResponse> => {
    const q = readQuery(event, SPEAKING_QUERY);
    const named = [
      ['part1JobId', q.part1JobId],
      ['part2JobId', q.part2JobId],
      ['part3JobId', q.part3JobId],
    ] as const;
    assertDistinct(named);
    const loaded = await Promise.all(named.map(([param, jobId]) => load(q.userId, param, jobId, 'speaking')));
    const problems = loaded.flatMap((p) => (p.ok ? [] : [p.problem]));
    loaded.forEach((p, i) => {
      if (p.ok && p.result.part !== i + 1) {
        problems.push(
          mismatch(
            named[i]![0],
            `Job ${named[i]![1]} assessed Speaking part ${p.result.part}, not part ${i + 1}`,
          ),
        );
      }
    });
    if (problems.length > 0) throw partsError(problems);
    const parts = loaded.map((p, i) => {
      const result = (p as { result: SpeakingResult }).result;
      const criteria = {
        fluencyCoherence: result.criteria.fluencyCoherence.band,
        lexicalResource: result.criteria.lexicalResource.band,
        grammaticalRangeAccuracy: result.criteria.grammaticalRangeAccuracy.band,
        pronunciation: result.criteria.pronunciation.band,
      };
      return { part: (i + 1) as 1 | 2 | 3, jobId: named[i]![1], band: result.band, criteria };
    });
    const test = speakingTestBands(parts.map((p) => p.criteria));
    return { band: test.band, criteria: { ...test.criteria }, parts };
  };

  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    callerPrincipal(event);
    const route = event.resource || event.path;
    if (route === '/v1/writing/test-band')
      return jsonResponse(200, WritingTestBandResponseSchema.parse(await writing(event)));
    if (route === '/v1/speaking/test-band')
      return jsonResponse(200, SpeakingTestBandResponseSchema.parse(await speaking(event)));
    throw new HttpError(404, `No route ${event.httpMethod} ${route}`);
  };
}

function mismatch(parameter: string, message: string): PartProblem {
  return { path: `query.${parameter}`, message, status: 422, code: 'PART_MISMATCH' };
}

/** One job cannot be two parts of a test. */
function assertDistinct(named: readonly (readonly [string, string])[]): void {
  const seen = new Map<string, string>();
  const problems: FieldProblem[] = [];
  for (const [parameter, jobId] of named) {
    const first = seen.get(jobId);
    if (first) problems.push({ path: `query.${parameter}`, message: `Names the same job as ${first}` });
    else seen.set(jobId, parameter);
  }
  if (problems.length > 0) throw badRequest('Each part of a test must be a different job', problems);
}

/**
 * 422 when any part can never be combined (its `code` is the first such problem's); 409 only when
 * every problem is a part that has not finished yet, so waiting is what fixes the request.
 */
function partsError(problems: readonly PartProblem[]): HttpError {
  const permanent = problems.find((p) => p.status === 422);
  const first = permanent ?? problems[0]!;
  return new HttpError(
    first.status,
    permanent
      ? 'The named jobs cannot be combined into a test band'
      : 'Not every part of the test has finished yet; ask again once they have',
    problems.map(({ path, message }) => ({ path, message })),
    undefined,
    first.code,
  );
}
