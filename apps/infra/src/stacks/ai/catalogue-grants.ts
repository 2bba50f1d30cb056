import { type QueueName, transcriptionJobNamePrefix } from '@bandup/shared';
import type { EnvironmentConfig } from '../../config/index.js';
import type { JobsTable } from '../../constructs/data/jobs-table.js';
import type { SubmissionCountersTable } from '../../constructs/data/submission-counters-table.js';
import type { JobCompletionEvents } from '../../constructs/serverless/job-completion-events.js';
import type { JobQueue } from '../../constructs/serverless/job-queue.js';
import type { WorkerFunction } from '../../constructs/serverless/worker-function.js';
import type { AiDataInputs } from './ai-stack.js';

/** The AI stack's resources a catalogue function may be granted. */
export interface CatalogueResources {
  readonly config: EnvironmentConfig;
  readonly data: AiDataInputs;
  readonly table: JobsTable;
  readonly submissionCounters: SubmissionCountersTable;
  readonly queues: Record<QueueName, JobQueue>;
  readonly jobEvents: JobCompletionEvents;
}

/**
 * Turns a function's catalogue `access` (and trigger) into grants by the constructs that own the
 * resources. Nothing else reaches a function's role.
 */
export function grantCatalogueAccess(fn: WorkerFunction, resources: CatalogueResources): void {
  const { spec, role } = fn;
  const { access } = spec;
  const { data, table } = resources;
  // The jobs table only for functions that are told its name (the upload function is not).
  if (spec.env.includes('jobsTable')) {
    if (access.jobsTable === 'read-write') table.grantReadWrite(role);
    else table.grantRead(role);
  }
  grantDataBucket(fn, data);
  grantQueues(fn, resources.queues);
  grantModels(fn, resources.config.ai);
  if (access.transcribe) grantTranscribe(fn, resources);
  if (access.publishesJobEvents) resources.jobEvents.grantPublish(role);
  if (spec.trigger.type === 'jobs-stream') resources.jobEvents.connectStreamConsumer(fn, table, spec.trigger);
  if (access.submissionCounters) resources.submissionCounters.grantCount(role);
  if (access.geminiSecret) {
    role.addToPolicy({ actions: ['secretsmanager:GetSecretValue'], resources: [data.secrets.gemini.arn] });
    data.keys.secrets.grantDecrypt(role);
  }
}

/** The data bucket's prefixes the catalogue names, and the data key as far as they need it. */
function grantDataBucket({ spec, role }: WorkerFunction, data: AiDataInputs): void {
  const { access } = spec;
  const bucket = data.buckets.uploads;
  for (const prefix of access.dataBucketRead) bucket.grantRead(role, prefix);
  // Readers check uploads with HeadObject: a missing key must be a 404 (bad request), not a 403.
  if (access.dataBucketRead.length > 0) bucket.grantList(role);
  for (const prefix of access.dataBucketWrite) bucket.grantWrite(role, prefix);
  // Stryker disable next-line ConditionalExpression,CallExpression: the bucket is encrypted with the data key and its grantWrite already grants that key's use (the same policy without this line)
  if (access.dataBucketWrite.length > 0) data.keys.data.grantEncryptDecrypt(role);
  // A belt: grantRead already grants the bucket's key (the data key) for reading.
  else if (access.dataBucketRead.length > 0) data.keys.data.grantDecrypt(role);
}

/** Sending to the queues of `sendsTo` (declared in their policies too), consuming the trigger's. */
function grantQueues(fn: WorkerFunction, queues: Record<QueueName, JobQueue>): void {
  const { spec, role } = fn;
  for (const queue of spec.access.sendsTo) {
    queues[queue].grantSend(role);
    queues[queue].allowSender({ kind: 'role', arn: role.arn });
  }
  if (spec.trigger.type !== 'sqs') return;
  const trigger = spec.trigger;
  for (const queue of trigger.queues) {
    const q = queues[queue];
    if (trigger.source === 'queue') {
      q.grantConsume(role);
      fn.addSqsSource(`${queue}-source`, q.arn, trigger);
    } else {
      q.grantConsumeDeadLetters(role);
      fn.addSqsSource(`${queue}-dlq-source`, q.deadLetterArn, trigger);
    }
  }
}

/** InvokeModel on exactly the configured models the catalogue names. */
function grantModels({ spec, role }: WorkerFunction, ai: EnvironmentConfig['ai']): void {
  const models = { assessment: ai.assessmentModelId, embedding: ai.embeddingModelId } as const;
  const modelArns = [...new Set(spec.access.bedrockModels.map((m) => models[m]))].map(
    (id) => `arn:aws:bedrock:${ai.bedrockRegion}::foundation-model/${id}`,
  );
  if (modelArns.length > 0) role.addToPolicy({ actions: ['bedrock:InvokeModel'], resources: modelArns });
}

/** Reading this environment's transcription jobs; starting them only for the function told the output key. */
function grantTranscribe({ spec, role }: WorkerFunction, { config, data }: CatalogueResources): void {
  const { region, accountId, name } = config;
  role.addToPolicy({
    actions: ['transcribe:GetTranscriptionJob'],
    resources: [
      `arn:aws:transcribe:${region}:${accountId}:transcription-job/${transcriptionJobNamePrefix(name)}*`,
    ],
  });
  // StartTranscriptionJob has no resource type (a job does not exist before the call): "*" is the
  // only valid resource, so the request is pinned instead: output only to the data bucket,
  // encrypted only with the data key.
  if (spec.env.includes('transcribeOutputKmsKeyId')) {
    role.addToPolicy({
      actions: ['transcribe:StartTranscriptionJob'],
      resources: ['*'],
      conditions: {
        StringEquals: {
          'transcribe:OutputBucketName': data.buckets.uploads.name,
          'transcribe:OutputEncryptionKMSKeyId': data.keys.data.arn,
        },
      },
    });
  }
}
