/**
 * Deploy check: `pnpm --filter @bandup/ai-workers check:gemini-secret <secret ARN or name>`, with the
 * deploying role's credentials. Exits 1 naming the problem when the Gemini key secret has no usable
 * value; prints nothing of the key.
 */

import { checkGeminiSecret } from '../src/clients/gemini-secret-check.js';
import { createSecretsManagerClient } from '../src/clients/secrets.js';

const secretId = process.argv[2];
if (!secretId) {
  console.error('usage: check-gemini-secret <secret ARN or name>');
  process.exit(2);
}
const result = await checkGeminiSecret(createSecretsManagerClient(), secretId);
if (!result.ok) {
  console.error(
    `Gemini key secret check FAILED: ${result.reason}. Set it: aws secretsmanager put-secret-value --secret-id ${secretId} --secret-string '{"apiKey":"..."}'`,
  );
  process.exit(1);
}
console.log(`Gemini key secret ${secretId}: set`);
