import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FunctionSpec, SqsTrigger, StreamTrigger } from '@bandup/shared';
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object/index.js';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from '../observability/log-group.js';
import { ServiceRole } from '../security/iam/service-role.js';
import { buildLambdaArchive, type LambdaArchive } from './lambda-archive.js';

/** The command that builds the bundles (turbo's `synth` task runs it first). */
const BUILD_WORKERS_COMMAND = 'pnpm --filter @bandup/ai-workers build';

/** Where a function's bundle must be: `<bundlesDir>/<name>/index.mjs` (exporting `handler`). */
function bundleEntry(bundlesDir: string, functionName: string): string {
  return path.join(bundlesDir, functionName, 'index.mjs');
}

/**
 * Fails with a message naming the missing bundle and the command that builds it, instead of
 * CDKTF's bare "no such file" (or, worse, an empty archive deployed as the function).
 */
function assertBundleExists(bundlesDir: string, functionName: string): string {
  const entry = bundleEntry(bundlesDir, functionName);
  if (!existsSync(entry)) {
    throw new Error(
      `Lambda bundle for function "${functionName}" is missing: ${entry} does not exist. ` +
        `Build the worker bundles first: ${BUILD_WORKERS_COMMAND} (turbo's synth task depends on it).`,
    );
  }
  return path.dirname(entry);
}

export interface WorkerFunctionProps {
  /** Full function name, `bandup-<env>-<catalogue name>`. */
  readonly functionName: string;
  readonly spec: FunctionSpec;
  /** Memory after config overrides (the catalogue's `memoryMb` unless overridden). */
  readonly memoryMb: number;
  /** Directory holding `<catalogue name>/index.mjs` for every function (`apps/ai-workers/dist`). */
  readonly bundlesDir: string;
  /** Bucket the code archive is uploaded to. */
  readonly artifactsBucket: { readonly name: string };
  /** Exactly the variables `envVarNamesFor(spec.name)` lists, with their values. */
  readonly environment: Readonly<Record<string, string>>;
  /** Key encrypting the environment variables at rest. */
  readonly environmentKeyArn: string;
  /** Key of the log group (admits CloudWatch Logs). */
  readonly logKey: { readonly arn: string };
  readonly logRetentionDays: number;
}

/**
 * One Lambda function of the worker catalogue: its code (the esbuild bundle, zipped
 * deterministically, as a Terraform asset uploaded under a content-addressed key), its own role, its own KMS-encrypted log group with
 * retention, JSON logs, X-Ray active tracing, KMS-encrypted environment, reserved concurrency.
 *
 * Not in a VPC, on purpose: the functions reach only AWS APIs (DynamoDB, S3, SQS, Bedrock,
 * Transcribe, Secrets Manager) and Gemini over the internet, and touch nothing inside the VPC.
 * VPC placement would add NAT data charges and interface endpoints for every API, and ENI cold
 * starts, for no gain in isolation (IAM scopes every call).
 */
export class WorkerFunction extends Construct {
  readonly role: ServiceRole;
  readonly logGroup: EncryptedLogGroup;
  readonly function: LambdaFunction;
  readonly asset: TerraformAsset;
  readonly archive: LambdaArchive;
  readonly codeObject: S3Object;
  readonly eventSourceMappings: LambdaEventSourceMapping[] = [];
  readonly spec: FunctionSpec;

  constructor(scope: Construct, id: string, props: WorkerFunctionProps) {
    super(scope, id);
    const { spec, functionName } = props;
    this.spec = spec;
    const bundleDir = assertBundleExists(props.bundlesDir, spec.name);

    // The deployment package: the bundle zipped deterministically, copied into the stack's
    // output as a Terraform asset. The object key carries the hash of the bundle's contents: an
    // unchanged bundle keeps its key (and its `source_code_hash`), so the function is not updated.
    this.archive = buildLambdaArchive(bundleDir);
    this.asset = new TerraformAsset(this, 'bundle', {
      path: this.archive.path,
      type: AssetType.FILE,
      assetHash: this.archive.contentHash,
    });
    this.codeObject = new S3Object(this, 'code', {
      bucket: props.artifactsBucket.name,
      key: `functions/${spec.name}/${this.archive.contentHash}.zip`,
      source: this.asset.path,
      contentType: 'application/zip',
    });

    this.logGroup = new EncryptedLogGroup(this, 'logs', {
      name: `/aws/lambda/${functionName}`,
      retentionInDays: props.logRetentionDays,
      kmsKey: props.logKey,
    });

    this.role = new ServiceRole(this, 'role', {
      name: `${functionName}-lambda`,
      description: `Lambda ${functionName}: ${spec.description}`.slice(0, 1000),
      assumedBy: 'lambda.amazonaws.com',
    });
    // Its own log group only (Terraform created it, so no logs:CreateLogGroup).
    this.role.addToPolicy({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${this.logGroup.arn}:log-stream:*`],
    });
    // X-Ray has no resource-level permissions for these two actions: "*" is the only valid resource.
    this.role.addToPolicy({
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      resources: ['*'],
    });

    const missing = Object.entries(props.environment).filter(
      ([, value]) => value === undefined || value === '',
    );
    if (missing.length > 0) {
      throw new Error(
        `Function ${functionName}: empty environment variable(s) ${missing.map(([k]) => k).join(', ')}`,
      );
    }

    this.function = new LambdaFunction(this, 'function', {
      functionName,
      description: spec.description.slice(0, 256),
      role: this.role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      s3Bucket: this.codeObject.bucket,
      s3Key: this.codeObject.key,
      sourceCodeHash: this.archive.sha256Base64,
      memorySize: props.memoryMb,
      timeout: spec.timeoutSeconds,
      reservedConcurrentExecutions: spec.reservedConcurrency,
      environment: { variables: { ...props.environment } },
      kmsKeyArn: props.environmentKeyArn,
      tracingConfig: { mode: 'Active' },
      loggingConfig: {
        logFormat: 'JSON',
        logGroup: this.logGroup.name,
        // Matches POWERTOOLS_LOG_LEVEL, so Lambda's filter and the logger agree.
        applicationLogLevel: 'INFO',
        systemLogLevel: 'WARN',
      },
      // The log group must exist (with KMS and retention) before the first invocation writes to it,
      // and the role's policy before anything validates the role (event source mappings do).
      dependsOn: [this.logGroup.logGroup, this.rolePolicy()],
    });
  }

  get arn(): string {
    return this.function.arn;
  }

  get name(): string {
    return this.function.functionName;
  }

  get invokeArn(): string {
    return this.function.invokeArn;
  }

  /**
   * Feeds the function from an SQS queue with partial batch responses: only the failed records of
   * a batch return to the queue (and, after `maxReceiveCount`, to its DLQ).
   */
  addSqsSource(id: string, queueArn: string, trigger: SqsTrigger): LambdaEventSourceMapping {
    const mapping = new LambdaEventSourceMapping(this, id, {
      eventSourceArn: queueArn,
      functionName: this.function.arn,
      batchSize: trigger.batchSize,
      maximumBatchingWindowInSeconds: trigger.batchingWindowSeconds,
      functionResponseTypes: ['ReportBatchItemFailures'],
      scalingConfig: { maximumConcurrency: trigger.maxConcurrency },
      enabled: true,
      // SQS permissions are checked when the mapping is created.
      dependsOn: [this.rolePolicy()],
    });
    this.eventSourceMappings.push(mapping);
    return mapping;
  }

  /**
   * Feeds the function from a DynamoDB stream, in order per shard (parallelization factor 1), from
   * the oldest record (TRIM_HORIZON: nothing written between enabling the stream and creating the
   * mapping is skipped). Partial batch responses checkpoint up to the first failed record; a batch
   * that keeps failing is bisected to isolate the bad record, and after `maxRetryAttempts` its
   * metadata goes to `onFailureArn`. `filterPattern` drops records before any invocation.
   */
  addStreamSource(
    id: string,
    streamArn: string,
    trigger: StreamTrigger,
    options: { readonly onFailureArn: string; readonly filterPattern: Record<string, unknown> },
  ): LambdaEventSourceMapping {
    const mapping = new LambdaEventSourceMapping(this, id, {
      eventSourceArn: streamArn,
      functionName: this.function.arn,
      startingPosition: 'TRIM_HORIZON',
      batchSize: trigger.batchSize,
      maximumBatchingWindowInSeconds: trigger.batchingWindowSeconds,
      parallelizationFactor: 1,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: trigger.maxRetryAttempts,
      // Records live 24 hours in a DynamoDB stream; retries, not age, decide when to give up.
      maximumRecordAgeInSeconds: -1,
      functionResponseTypes: ['ReportBatchItemFailures'],
      destinationConfig: { onFailure: { destinationArn: options.onFailureArn } },
      filterCriteria: { filter: [{ pattern: JSON.stringify(options.filterPattern) }] },
      enabled: true,
      // Stream, key and destination permissions are checked when the mapping is created.
      dependsOn: [this.rolePolicy()],
    });
    this.eventSourceMappings.push(mapping);
    return mapping;
  }

  private rolePolicy(): IamRolePolicy {
    return this.role.node.findChild('policy') as IamRolePolicy;
  }
}
