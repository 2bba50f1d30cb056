/** The bootstrap state bucket of an account: one per account and region, globally unique by account id. */
export function stateBucketName(accountId: string, region: string): string {
  return `bandup-tfstate-${accountId}-${region}`;
}

/** KMS alias of the key that encrypts the state bucket. */
export const STATE_KMS_ALIAS = 'alias/bandup-tfstate';
