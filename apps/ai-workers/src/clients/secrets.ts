import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type AwsClientOptions, awsClientConfig } from './aws-client-config.js';

/**
 * Secrets Manager client. Its endpoint follows `AWS_ENDPOINT_URL_SECRETS_MANAGER` (read by SDK v3
 * itself) unless one is given here, so tests and local runs reach a loopback fake without extra code.
 */
export function createSecretsManagerClient(options: AwsClientOptions = {}): SecretsManagerClient {
  const client = new SecretsManagerClient(awsClientConfig(options));
  return options.capture ? options.capture(client) : client;
}

export interface SecretReaderOptions {
  /**
   * How long a value is reused before it is read again. Default 15 minutes: a warm container makes
   * one call per quarter hour instead of one per job, and a rotated key is picked up without a
   * redeploy.
   */
  readonly ttlMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/**
 * Reads secret strings and keeps them in memory for the life of the container (bounded by a TTL).
 * Create one per container, at module scope. Concurrent reads of the same secret share one call; a
 * failed read is not cached, so the next job tries again. Values are never logged.
 */
export class CachedSecretReader {
  private readonly cache = new Map<string, { readonly value: Promise<string>; readonly expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: SecretsManagerClient,
    options: SecretReaderOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The secret's current string value; throws if it has none (e.g. created but never set). */
  async getString(secretId: string): Promise<string> {
    const cached = this.cache.get(secretId);
    if (cached && cached.expiresAt > this.now()) return cached.value;
    const value = this.fetch(secretId);
    this.cache.set(secretId, { value, expiresAt: this.now() + this.ttlMs });
    value.catch(() => {
      if (this.cache.get(secretId)?.value === value) this.cache.delete(secretId);
    });
    return value;
  }

  private async fetch(secretId: string): Promise<string> {
    const output = await this.client.send(new GetSecretValueCommand({ SecretId: secretId }));
    const value =
      output.SecretString ?? (output.SecretBinary ? new TextDecoder().decode(output.SecretBinary) : '');
    if (value.trim().length === 0) {
      throw Object.assign(new Error(`Secret ${secretId} has no value`), { name: 'SecretEmptyError' });
    }
    return value;
  }
}
