import type { EncryptionKey } from '../security/kms-key.js';

/** What the database and cache tiers of one environment share. */
export interface DataTierProps {
  /** `bandup-<env>-<suffix>`: the environment's naming scheme. */
  readonly resourceName: (suffix: string) => string;
  /** Environment name (secret names are `bandup/<env>/...`). */
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
  readonly keys: {
    readonly data: EncryptionKey;
    readonly secrets: EncryptionKey;
    readonly logs: EncryptionKey;
  };
  /** The data tier's subnets (no route to the internet), one per AZ. */
  readonly dataSubnetIds: readonly string[];
  /** Where the in-VPC rotation functions run: app subnets (NAT route) and the functions' group. */
  readonly functionVpc: { readonly subnetIds: readonly string[]; readonly securityGroupId: string };
  readonly logRetentionDays: number;
  /** Days to recover a deleted secret (0: deleted at once). */
  readonly recoveryWindowDays: number;
  /** `prevent_destroy` and deletion protection. */
  readonly protect: boolean;
  /** Final snapshots on delete get this suffix; omitted: none taken. */
  readonly finalSnapshotSuffix?: string;
}
