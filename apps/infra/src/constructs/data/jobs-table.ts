import { JOBS_TABLE } from '@bandup/shared';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { Construct } from 'constructs';
import type { Grantee } from '../security/iam/policy-document.js';

/** The KMS key the table is encrypted with, as far as the table needs it. */
export interface TableKey {
  readonly arn: string;
  grantEncryptDecrypt(grantee: Grantee): void;
  grantDecrypt(grantee: Grantee): void;
}

export interface JobsTableProps {
  /** `bandup-<env>-jobs`. */
  readonly name: string;
  readonly key: TableKey;
  /** Deletion protection and Terraform `prevent_destroy` (prod). */
  readonly protect: boolean;
}

const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/**
 * The AI jobs table (docs/ai-stack.md): key `jobId`, the by-user GSI (`userId`, `createdAt`), the
 * sparse by-deadline GSI of unfinished jobs (`sweepShard`, `deadlineAt`),
 * TTL on `expiresAt`, on-demand capacity, point-in-time recovery and SSE with a customer managed
 * key, and a NEW_AND_OLD_IMAGES stream for the completion events. No `Scan` is ever granted: every
 * access is by key or by the user index.
 */
export class JobsTable extends Construct {
  readonly table: DynamodbTable;
  private readonly key: TableKey;

  constructor(scope: Construct, id: string, props: JobsTableProps) {
    super(scope, id);
    this.key = props.key;
    const index = JOBS_TABLE.byUserIndex;
    this.table = new DynamodbTable(this, 'table', {
      name: props.name,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: JOBS_TABLE.partitionKey,
      attribute: [
        { name: JOBS_TABLE.partitionKey, type: 'S' },
        { name: index.partitionKey, type: 'S' },
        { name: index.sortKey, type: 'S' },
        { name: JOBS_TABLE.byDeadlineIndex.partitionKey, type: 'S' },
        { name: JOBS_TABLE.byDeadlineIndex.sortKey, type: 'N' },
      ],
      globalSecondaryIndex: [
        {
          name: index.name,
          hashKey: index.partitionKey,
          rangeKey: index.sortKey,
          // The status listing reads whole items from the index; ALL avoids a second read per job.
          projectionType: 'ALL',
        },
        {
          // Sparse: only unfinished jobs carry the partition key, so the sweeper reads just those.
          name: JOBS_TABLE.byDeadlineIndex.name,
          hashKey: JOBS_TABLE.byDeadlineIndex.partitionKey,
          rangeKey: JOBS_TABLE.byDeadlineIndex.sortKey,
          projectionType: 'ALL',
        },
      ],
      ttl: { attributeName: JOBS_TABLE.ttlAttribute, enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.key.arn },
      // Completion events are published from this stream: a record with both images lets the
      // consumer see the status a write moved *from*, so only the terminal transition publishes.
      streamEnabled: true,
      streamViewType: 'NEW_AND_OLD_IMAGES',
      deletionProtectionEnabled: props.protect,
      lifecycle: props.protect ? { preventDestroy: true } : undefined,
    });
  }

  get name(): string {
    return this.table.name;
  }

  get arn(): string {
    return this.table.arn;
  }

  /** ARN of the table's current stream (changes if the stream is ever disabled and re-enabled). */
  get streamArn(): string {
    return this.table.streamArn;
  }

  /**
   * What a Lambda event source mapping needs to read the stream: the four stream actions on this
   * table's streams only, and decrypt with the table's key (stream records are encrypted with it).
   */
  grantStreamRead(grantee: Grantee): void {
    grantee.addToPolicy({
      actions: [
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ],
      resources: [`${this.table.arn}/stream/*`],
    });
    this.key.grantDecrypt(grantee);
  }

  /** ARN of the by-user index. */
  get byUserIndexArn(): string {
    return `${this.table.arn}/index/${JOBS_TABLE.byUserIndex.name}`;
  }

  /** ARN of the sparse by-deadline index (the sweeper's). */
  get byDeadlineIndexArn(): string {
    return `${this.table.arn}/index/${JOBS_TABLE.byDeadlineIndex.name}`;
  }

  /** Reads by key and queries by the user and deadline indexes. */
  grantRead(grantee: Grantee): void {
    grantee.addToPolicy({
      actions: READ_ACTIONS,
      resources: [this.table.arn, this.byUserIndexArn, this.byDeadlineIndexArn],
    });
    this.key.grantDecrypt(grantee);
  }

  /** Reads plus item writes (conditional puts and updates of the job lifecycle). Indexes are read-only. */
  grantReadWrite(grantee: Grantee): void {
    this.grantRead(grantee);
    grantee.addToPolicy({ actions: WRITE_ACTIONS, resources: [this.table.arn] });
    this.key.grantEncryptDecrypt(grantee);
  }
}
