import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { operatorCredentials } from '../../scripts/operator-credentials.js';

/**
 * Operator scripts hand the light clients what the SDK's default chain resolves. Here the chain reads
 * a shared credentials file profile (what an operator's `AWS_PROFILE` selects), with no network.
 */
let dir: string | undefined;
afterEach(() => {
  vi.unstubAllEnvs();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('operatorCredentials', () => {
  it('resolves a named profile of the shared credentials file, session token included', async () => {
    dir = mkdtempSync(join(tmpdir(), 'bandup-creds-'));
    const file = join(dir, 'credentials');
    writeFileSync(
      file,
      '[ops]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\naws_session_token = profile-token\n',
    );
    // The environment's own keys (set for every test) would come first in the chain.
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', file);
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
    vi.stubEnv('AWS_PROFILE', 'ops');
    await expect(operatorCredentials('ap-southeast-1')).resolves.toEqual({
      accessKeyId: 'AKIDPROFILE',
      secretAccessKey: 'profile-secret',
      sessionToken: 'profile-token',
    });
  });

  it('takes the environment variables first, as the SDK does, and leaves out an absent token', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDENV');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'env-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    // Strict: an absent token is left out, not carried as a `sessionToken: undefined` key.
    await expect(operatorCredentials('ap-southeast-1')).resolves.toStrictEqual({
      accessKeyId: 'AKIDENV',
      secretAccessKey: 'env-secret',
    });
  });
});
