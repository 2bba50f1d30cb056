import { JOBS_TABLE } from '@bandup/shared';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { Construct } from 'constructs';
import type { Grantee } from './iam/policy-document.js';

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
 * The AI jobs table (docs/ai-stack.md): key `jobId`, the by-user GSI (`userId`, `createdAt`),
 * TTL on `expiresAt`, on-demand capacity, point-in-time recovery and SSE with a customer managed
 * key. No `Scan` is ever granted: every access is by key or by the user index.
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
      ],
      globalSecondaryIndex: [
        {
          name: index.name,
          hashKey: index.partitionKey,
          rangeKey: index.sortKey,
          // The status listing reads whole items from the index; ALL avoids a second read per job.
          projectionType: 'ALL',
        },
      ],
      ttl: { attributeName: JOBS_TABLE.ttlAttribute, enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.key.arn },
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

  /** ARN of the by-user index. */
  get byUserIndexArn(): string {
    return `${this.table.arn}/index/${JOBS_TABLE.byUserIndex.name}`;
  }

  /** Reads by key and queries by the user index. */
  grantRead(grantee: Grantee): void {
    grantee.addToPolicy({ actions: READ_ACTIONS, resources: [this.table.arn, this.byUserIndexArn] });
    this.key.grantDecrypt(grantee);
  }

  /** Reads plus item writes (conditional puts and updates of the job lifecycle). Indexes are read-only. */
  grantReadWrite(grantee: Grantee): void {
    this.grantRead(grantee);
    grantee.addToPolicy({ actions: WRITE_ACTIONS, resources: [this.table.arn] });
    this.key.grantEncryptDecrypt(grantee);
  }
}
