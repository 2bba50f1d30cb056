import {
  AI_METRICS_NAMESPACE,
  COMMON_ENV_VARS,
  ENV_VARS,
  type EnvVarKey,
  type FunctionName,
  type FunctionSpec,
  JOBS_TABLE,
  resourceName,
  type SubmissionLimits,
} from '@bandup/shared';
import { Annotations } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/index.js';
import { FlatConstruct } from '../../constructs/flat-construct.js';
import type { EventTargetDeadLetterQueue } from '../../constructs/serverless/event-target-dead-letter-queue.js';
import { FunctionSchedule } from '../../constructs/serverless/function-schedule.js';
import { WorkerFunction } from '../../constructs/serverless/worker-function.js';
import { type CatalogueResources, grantCatalogueAccess } from './catalogue-grants.js';

const LOG_LEVEL = 'INFO';

/** The Powertools service name of a function: its logs' `service` and its metrics' dimension. */
export function aiServiceName(fn: FunctionName): string {
  return `bandup-ai-${fn}`;
}

export interface WorkerFleetProps extends CatalogueResources {
  readonly catalogue: readonly FunctionSpec[];
  /** Directory of the worker bundles, `<dir>/<function>/index.mjs`. */
  readonly bundlesDir: string;
  /** Holds the code archives. */
  readonly artifactsBucket: { readonly name: string };
  /** The AI stack's key (encrypts the functions' environments). */
  readonly key: { readonly arn: string };
  /** Where EventBridge puts scheduled runs it could not deliver. */
  readonly eventsDeadLetterQueue: EventTargetDeadLetterQueue;
}

/**
 * One Lambda function per catalogue entry, with exactly the environment variables the catalogue
 * lists, the grants its `access` names, its SQS or stream sources and, for scheduled functions,
 * its schedule.
 */
export class WorkerFleet extends FlatConstruct {
  readonly functions: Record<FunctionName, WorkerFunction>;

  constructor(scope: Construct, id: string, props: WorkerFleetProps) {
    super(scope, id);
    const { config } = props;
    this.functions = Object.fromEntries(
      props.catalogue.map((spec) => {
        const values = environmentValues(spec, props);
        const keys = [...new Set<EnvVarKey>([...COMMON_ENV_VARS, ...spec.env])];
        const fn = new WorkerFunction(this, `${spec.name}-function`, {
          functionName: resourceName(config.name, spec.name),
          spec,
          memoryMb: config.ai.memoryOverridesMb[spec.name] ?? spec.memoryMb,
          bundlesDir: props.bundlesDir,
          artifactsBucket: props.artifactsBucket,
          environment: Object.fromEntries(keys.map((key) => [ENV_VARS[key], values[key]])),
          environmentKeyArn: props.key.arn,
          logKey: props.data.keys.logs,
          logRetentionDays: config.observability.logRetentionDays,
        });
        return [spec.name, fn];
      }),
    ) as Record<FunctionName, WorkerFunction>;
    for (const fn of Object.values(this.functions)) grantCatalogueAccess(fn, props);
    this.scheduleFunctions(config, props.eventsDeadLetterQueue);
    this.warnOnMappingConcurrency(props.catalogue);
  }

  /** Scheduled functions (the sweeper): a rule per function, its undelivered runs to the events DLQ. */
  private scheduleFunctions(config: EnvironmentConfig, deadLetters: EventTargetDeadLetterQueue): void {
    for (const fn of Object.values(this.functions)) {
      if (fn.spec.trigger.type !== 'schedule') continue;
      const schedule = new FunctionSchedule(this, `${fn.spec.name}-schedule`, {
        ruleName: resourceName(config.name, `${fn.spec.name}-schedule`),
        expression: fn.spec.trigger.expression,
        functionArn: fn.arn,
        functionName: fn.name,
        deadLetterQueueArn: deadLetters.arn,
      });
      deadLetters.allowRule(schedule.rule.arn);
    }
  }

  /**
   * SQS pollers beyond a function's reserved concurrency are throttled (messages return to the
   * queue and count as receives): warn when the mappings' maximum concurrency exceeds it.
   */
  private warnOnMappingConcurrency(specs: readonly FunctionSpec[]): void {
    for (const spec of specs) {
      if (spec.trigger.type !== 'sqs') continue;
      const total = spec.trigger.maxConcurrency * spec.trigger.queues.length;
      if (total > spec.reservedConcurrency) {
        Annotations.of(this.functions[spec.name]).addWarning(
          `Function ${spec.name}: its ${spec.trigger.queues.length} SQS mapping(s) may run ${total} concurrent ` +
            `invocations but reserved concurrency is ${spec.reservedConcurrency}; the excess is throttled ` +
            '(raise reservedConcurrency or lower maxConcurrency in the worker catalogue)',
        );
      }
    }
  }
}

/** Environment values, by catalogue key: a key added to ENV_VARS without a value here fails typecheck. */
function environmentValues(fn: FunctionSpec, props: WorkerFleetProps): Record<EnvVarKey, string> {
  const { config, data, queues } = props;
  const ai = config.ai;
  const submissionLimits: SubmissionLimits = {
    utcOffsetMinutes: ai.learnerDayUtcOffsetMinutes,
    tiers: ai.learnerDailyLimits,
  };
  return {
    environment: config.name,
    jobsTable: props.table.name,
    jobsByUserIndex: JOBS_TABLE.byUserIndex.name,
    dataBucket: data.buckets.uploads.name,
    writingQueueUrl: queues.writing.url,
    speakingQueueUrl: queues.speaking.url,
    flashcardsQueueUrl: queues.flashcards.url,
    speakingFinalizeQueueUrl: queues['speaking-finalize'].url,
    bedrockRegion: ai.bedrockRegion,
    assessmentModelId: ai.assessmentModelId,
    embeddingModelId: ai.embeddingModelId,
    embeddingDimensions: String(ai.embeddingDimensions),
    geminiSecretArn: data.secrets.gemini.arn,
    geminiModelId: ai.geminiModelId,
    transcribeOutputKmsKeyId: data.keys.data.arn,
    jobEventsTopicArn: props.jobEvents.topic.arn,
    powertoolsServiceName: aiServiceName(fn.name),
    powertoolsMetricsNamespace: AI_METRICS_NAMESPACE,
    logLevel: LOG_LEVEL,
    submissionLimits: JSON.stringify(submissionLimits),
    submissionCountersTable: props.submissionCounters.name,
  };
}
