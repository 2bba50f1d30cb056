/**
 * Invokes one Lambda handler locally with an event file, as Lambda would, and prints its answer:
 *
 *   pnpm --filter @bandup/ai-workers exec tsx scripts/invoke-local.ts <function> <event.json> [--bundle]
 *
 * The handler reads its catalogue environment (`BANDUP_*`) and the standard AWS variables from the
 * shell, so it runs against whatever those point at: a dev account (AWS_PROFILE) or local endpoints
 * (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_S3` with
 * `AWS_S3_FORCE_PATH_STYLE=true`). `--bundle` runs the built `dist/<function>/index.mjs` instead of
 * the TypeScript source. Sample events: `fixtures/events/`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FUNCTION_NAMES, type FunctionName } from '@bandup/shared';
import type { Context } from 'aws-lambda';

const [fn, eventFile, flag] = process.argv.slice(2);
if (!fn || !eventFile || !(FUNCTION_NAMES as readonly string[]).includes(fn)) {
  console.error(`usage: invoke-local.ts <${FUNCTION_NAMES.join('|')}> <event.json> [--bundle]`);
  process.exit(2);
}
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry =
  flag === '--bundle'
    ? join(packageDir, 'dist', fn, 'index.mjs')
    : join(packageDir, 'src', 'handlers', `${fn as FunctionName}.ts`);
const event = JSON.parse(readFileSync(resolve(eventFile), 'utf8')) as unknown;
const started = Date.now();
const context: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: `bandup-local-${fn}`,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:bandup-local-${fn}`,
  memoryLimitInMB: '1024',
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/bandup-local-${fn}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => Math.max(0, 300_000 - (Date.now() - started)),
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};
const { handler } = (await import(pathToFileURL(entry).href)) as {
  handler: (event: unknown, context: Context) => Promise<unknown>;
};
console.log(JSON.stringify(await handler(event, context), null, 2));
