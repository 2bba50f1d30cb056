/**
 * Replays archived dead letters to their source queues (see `replayDeadLetter` and the README's
 * runbook). Works for every queue: the queue is read from each archive.
 *
 *   pnpm --filter @bandup/ai-workers replay:dead-letters --env dev --account 123456789012 <archive key> [...]
 *
 * Needs the operator's credentials (listed in `ai.queueReplayPrincipalArns`), `AWS_REGION`, and reads
 * the bucket `bandup-<env>-uploads-<account>`, the table `bandup-<env>-jobs` and the queues
 * `bandup-<env>-<queue>` unless `--bucket`, `--table` or `BANDUP_<QUEUE>_URL`-style flags override them.
 */
import { parseArgs } from 'node:util';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { JOBS_TABLE, QUEUE_NAMES, type QueueName } from '@bandup/shared';
import { createDocumentTable } from '../src/clients/dynamodb.js';
import { createS3Objects } from '../src/clients/s3-objects.js';
import { createSqsClient } from '../src/clients/sqs.js';
import { replayDeadLetter } from '../src/dead-letter/replay-dead-letter.js';
import { JobStore } from '../src/jobs/job-store.js';
import { ResultStorage } from '../src/jobs/result-storage.js';
import { operatorCredentials } from './operator-credentials.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    env: { type: 'string' },
    account: { type: 'string' },
    bucket: { type: 'string' },
    table: { type: 'string' },
  },
});
if (!values.env || positionals.length === 0 || (!values.bucket && !values.account)) {
  console.error(
    'usage: replay-dead-letters --env <env> (--account <id> | --bucket <name>) [--table <name>] <archive key> ...',
  );
  process.exit(2);
}
const bucket = values.bucket ?? `bandup-${values.env}-uploads-${values.account}`;
const region = process.env.AWS_REGION;
if (!region) {
  console.error('AWS_REGION is not set');
  process.exit(2);
}
const credentials = await operatorCredentials(region);
const s3 = createS3Objects({ credentials });
const sqs = createSqsClient();
const store = new JobStore(createDocumentTable({ credentials }), {
  tableName: values.table ?? `bandup-${values.env}-${JOBS_TABLE.name}`,
  byUserIndexName: JOBS_TABLE.byUserIndex.name,
  results: new ResultStorage(s3, bucket),
});
const queueUrls = Object.fromEntries(
  await Promise.all(
    QUEUE_NAMES.map(async (queue) => {
      const { QueueUrl } = await sqs.send(
        new GetQueueUrlCommand({ QueueName: `bandup-${values.env}-${queue}` }),
      );
      return [queue, QueueUrl!] as const;
    }),
  ),
) as Record<QueueName, string>;

let failures = 0;
for (const key of positionals) {
  try {
    const outcome = await replayDeadLetter({ s3, dataBucket: bucket, store, sqs, queueUrls }, key);
    console.log(JSON.stringify({ key, ...outcome }));
  } catch (error) {
    failures++;
    console.error(JSON.stringify({ key, error: (error as Error).message }));
  }
}
process.exit(failures > 0 ? 1 : 0);
