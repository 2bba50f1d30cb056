import { SQSClient } from '@aws-sdk/client-sqs';
import type { Credentials } from '../src/clients/aws-credentials.js';

/**
 * The operator's credentials from the AWS SDK's default chain (environment, profile, SSO, ...). The
 * workers' light clients read only the environment variables Lambda sets, so an operator script
 * resolves the chain once (through an SDK client it loads anyway) and hands the result to them.
 */
export async function operatorCredentials(region: string): Promise<Credentials> {
  const client = new SQSClient({ region });
  try {
    const { accessKeyId, secretAccessKey, sessionToken } = await client.config.credentials();
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  } finally {
    client.destroy();
  }
}
