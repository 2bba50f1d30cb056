import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { geminiApiKeyFromSecret } from './gemini.js';

export type GeminiSecretCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * The deploy check of the Gemini key secret: it must hold a usable key (the bare key, or JSON with
 * `apiKey`). A secret created empty (Terraform creates it without a value) is a configuration
 * error to fix before flashcard jobs run, not something to discover from fallback queries. The
 * key itself is never returned or printed.
 */
export async function checkGeminiSecret(
  client: SecretsManagerClient,
  secretId: string,
): Promise<GeminiSecretCheck> {
  let value: string;
  try {
    const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    value = output.SecretString ?? (output.SecretBinary ? new TextDecoder().decode(output.SecretBinary) : '');
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      return { ok: false, reason: `${secretId} has no value yet (created but never set)` };
    }
    throw error;
  }
  try {
    geminiApiKeyFromSecret(value);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `${secretId}: ${(error as Error).message}` };
  }
}
