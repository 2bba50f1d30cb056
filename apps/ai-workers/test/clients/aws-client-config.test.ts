import { describe, expect, it } from 'vitest';
import { createSecretsManagerClient } from '../../src/clients/secrets.js';
import { createSqsClient } from '../../src/clients/sqs.js';
import { FAKE_CREDENTIALS } from '../fakes/fake-bedrock.js';

/** The shared options reach the SDK clients that remain (Secrets Manager, SQS queue lookups). */
describe('awsClientConfig, through the SDK client factories', () => {
  it('explicit credentials replace the default chain (the environment has other keys in tests)', async () => {
    expect(process.env.AWS_ACCESS_KEY_ID).not.toBe(FAKE_CREDENTIALS.accessKeyId);
    for (const client of [
      createSecretsManagerClient({ region: 'ap-southeast-1', credentials: FAKE_CREDENTIALS }),
      createSqsClient({ region: 'ap-southeast-1', credentials: FAKE_CREDENTIALS }),
    ]) {
      await expect(client.config.credentials()).resolves.toMatchObject(FAKE_CREDENTIALS);
      client.destroy();
    }
  });

  it('without them, the default chain applies (here: the environment)', async () => {
    const client = createSqsClient({ region: 'ap-southeast-1' });
    await expect(client.config.credentials()).resolves.toMatchObject({
      accessKeyId: process.env.AWS_ACCESS_KEY_ID,
    });
    client.destroy();
  });
});
