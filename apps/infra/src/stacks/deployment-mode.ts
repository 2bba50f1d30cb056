/**
 * How stacks are wired to state and credentials.
 *
 * - `deploy` (default): S3 remote state in the account's bootstrap bucket, real credentials from
 *   the environment of whoever runs `cdktf deploy` / `terraform plan`.
 * - `offline`: local state under `stateDir`, mock credentials and the provider's skip flags.
 *   Only for tests and offline plan review: it can never reach AWS.
 */
export type DeploymentMode =
  | { readonly kind: 'deploy' }
  | { readonly kind: 'offline'; readonly stateDir: string };

export const DEPLOY: DeploymentMode = { kind: 'deploy' };
