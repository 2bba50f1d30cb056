import { ENV_VARS } from '@bandup/shared';

/**
 * Every catalogue variable set to a plausible value (no AWS call happens at import time). Typed by
 * the catalogue's keys, so a variable added to the catalogue is a type error here until it has a value.
 */
const CATALOGUE_VALUES: Record<keyof typeof ENV_VARS, string> = {
  environment: 'dev',
  jobsTable: 'bandup-dev-jobs',
  jobsByUserIndex: 'by-user',
  dataBucket: 'bandup-dev-ai-data',
  writingQueueUrl: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/bandup-dev-writing',
  speakingQueueUrl: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/bandup-dev-speaking',
  flashcardsQueueUrl: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/bandup-dev-flashcards',
  speakingFinalizeQueueUrl:
    'https://sqs.ap-southeast-1.amazonaws.com/123456789012/bandup-dev-speaking-finalize',
  bedrockRegion: 'us-east-1',
  assessmentModelId: 'google.gemma-3-12b-it',
  embeddingModelId: 'amazon.titan-embed-text-v2:0',
  embeddingDimensions: '1024',
  geminiSecretArn: 'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:bandup-dev-gemini-AbCdEf',
  geminiModelId: 'gemini-flash-lite-latest',
  transcribeOutputKmsKeyId:
    'arn:aws:kms:ap-southeast-1:123456789012:key/00000000-0000-0000-0000-000000000000',
  jobEventsTopicArn: 'arn:aws:sns:ap-southeast-1:123456789012:bandup-dev-job-events.fifo',
  submissionCountersTable: 'bandup-dev-submission-counters',
  submissionLimits: JSON.stringify({
    utcOffsetMinutes: 420,
    tiers: {
      free: { writing: 5, speaking: 5, flashcards: 3 },
      premium: { writing: 50, speaking: 50, flashcards: 30 },
    },
  }),
  powertoolsServiceName: 'bandup-ai',
  powertoolsMetricsNamespace: 'Bandup/AI',
  logLevel: 'INFO',
};

/** A Lambda environment with every catalogue variable (fake credentials; nothing is called at init). */
export const LAMBDA_CATALOGUE_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'ap-southeast-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHONLY',
  AWS_SECRET_ACCESS_KEY: 'bench-secret-not-real',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_LAMBDA_FUNCTION_NAME: 'bandup-dev-bench',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  ...Object.fromEntries(
    (Object.keys(CATALOGUE_VALUES) as (keyof typeof ENV_VARS)[]).map((key) => [
      ENV_VARS[key],
      CATALOGUE_VALUES[key],
    ]),
  ),
};
