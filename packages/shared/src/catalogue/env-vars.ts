/**
 * Every environment variable a Lambda function may read. Infra sets exactly the ones a function's
 * catalogue entry lists; workers read them through `readWorkerEnv`, so neither side can misspell one.
 */
export const ENV_VARS = {
  /** `dev` | `staging` | `prod`. */
  environment: 'BANDUP_ENV',
  jobsTable: 'BANDUP_JOBS_TABLE',
  jobsByUserIndex: 'BANDUP_JOBS_BY_USER_INDEX',
  /** The AI data bucket: uploads, results, embedding cache, transcripts, dead letters (see S3_PREFIXES). */
  dataBucket: 'BANDUP_DATA_BUCKET',
  writingQueueUrl: 'BANDUP_WRITING_QUEUE_URL',
  speakingQueueUrl: 'BANDUP_SPEAKING_QUEUE_URL',
  flashcardsQueueUrl: 'BANDUP_FLASHCARDS_QUEUE_URL',
  /** Region of Bedrock Runtime, configurable apart from the app region. */
  bedrockRegion: 'BANDUP_BEDROCK_REGION',
  assessmentModelId: 'BANDUP_ASSESSMENT_MODEL_ID',
  embeddingModelId: 'BANDUP_EMBEDDING_MODEL_ID',
  embeddingDimensions: 'BANDUP_EMBEDDING_DIMENSIONS',
  geminiSecretArn: 'BANDUP_GEMINI_SECRET_ARN',
  geminiModelId: 'BANDUP_GEMINI_MODEL_ID',
  /** IAM role Transcribe assumes to write its output into the data bucket (KMS-encrypted). */
  transcribeOutputKmsKeyId: 'BANDUP_TRANSCRIBE_OUTPUT_KMS_KEY_ID',
  /** SNS FIFO topic of job completion events (the job-events function publishes to it). */
  jobEventsTopicArn: 'BANDUP_JOB_EVENTS_TOPIC_ARN',
  /** The speaking-finalize queue (the sweeper re-sends lost Transcribe completion events to it). */
  speakingFinalizeQueueUrl: 'BANDUP_SPEAKING_FINALIZE_QUEUE_URL',
  /** Powertools settings, set for every function. */
  powertoolsServiceName: 'POWERTOOLS_SERVICE_NAME',
  powertoolsMetricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  /** Per-learner daily submission limits per tier and kind, as `SubmissionLimits` JSON (submit function). */
  submissionLimits: 'BANDUP_SUBMISSION_LIMITS',
  /** DynamoDB table of the per-learner daily submission counters (submit function). */
  submissionCountersTable: 'BANDUP_SUBMISSION_COUNTERS_TABLE',
} as const;

export type EnvVarKey = keyof typeof ENV_VARS;
export type EnvVarName = (typeof ENV_VARS)[EnvVarKey];

/** Set on every function, whatever its catalogue entry says. */
export const COMMON_ENV_VARS: readonly EnvVarKey[] = [
  'environment',
  'powertoolsServiceName',
  'powertoolsMetricsNamespace',
  'logLevel',
];
