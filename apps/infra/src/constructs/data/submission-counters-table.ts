import { SUBMISSION_COUNTERS_TABLE } from '@bandup/shared';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { Construct } from 'constructs';
import type { Grantee } from '../security/iam/policy-document.js';
import type { TableKey } from './jobs-table.js';

export interface SubmissionCountersTableProps {
  /** `bandup-<env>-submission-counters`. */
  readonly name: string;
  readonly key: TableKey;
}

/**
 * Per-learner daily submission counters (key `counterId`, TTL on `expiresAt`), on-demand and
 * encrypted with the data key. Counters are rebuilt by the next submission and expire after two
 * days, so there is no point-in-time recovery and no deletion protection: losing the table only
 * resets today's counts.
 */
export class SubmissionCountersTable extends Construct {
  readonly table: DynamodbTable;
  private readonly key: TableKey;

  constructor(scope: Construct, id: string, props: SubmissionCountersTableProps) {
    super(scope, id);
    this.key = props.key;
    this.table = new DynamodbTable(this, 'table', {
      name: props.name,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: SUBMISSION_COUNTERS_TABLE.partitionKey,
      attribute: [{ name: SUBMISSION_COUNTERS_TABLE.partitionKey, type: 'S' }],
      ttl: { attributeName: SUBMISSION_COUNTERS_TABLE.ttlAttribute, enabled: true },
      pointInTimeRecovery: { enabled: false },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.key.arn },
    });
  }

  get name(): string {
    return this.table.name;
  }

  get arn(): string {
    return this.table.arn;
  }

  /** Conditional counter updates only: no reads, puts, deletes or scans. */
  grantCount(grantee: Grantee): void {
    grantee.addToPolicy({ actions: ['dynamodb:UpdateItem'], resources: [this.table.arn] });
    this.key.grantEncryptDecrypt(grantee);
  }
}
