import { parseUploadKey, type UploadKind, uploadExtensions, uploadKeyPattern } from './upload-limits.js';
import * as z from './zod.js';

/** An upload object key of a kind: `uploads/<kind>/<userId>/<uuid>.<ext>`. */
export function uploadKeySchema(kind: UploadKind) {
  const example = `uploads/${kind}/<userId>/<uuid>.<${uploadExtensions(kind).join('|')}>`;
  return z
    .string()
    .check(
      z.maxLength(1024),
      z.regex(uploadKeyPattern(kind), { message: `Must be an object key of the form ${example}` }),
    );
}

/**
 * Cross-field check for a request that names an uploaded object: the key's `<userId>` segment must
 * be the request's `userId`, so nobody can submit another user's upload. Runs even when other fields
 * failed (so every bad field is reported at once) but only when both fields are well-formed.
 */
export function keyBelongsToUser<T extends { userId: string }>(kind: UploadKind, keyField: keyof T & string) {
  return {
    check(value: T, ctx: z.core.$RefinementCtx<T>): void {
      const key = value[keyField];
      if (typeof key !== 'string' || typeof value.userId !== 'string') return;
      const parsed = parseUploadKey(kind, key);
      if (parsed && parsed.userId !== value.userId) {
        ctx.addIssue({
          code: 'custom',
          path: [keyField],
          message: `Object key belongs to user "${parsed.userId}", not to userId "${value.userId}"`,
        });
      }
    },
    /** Run the check whenever both fields are present as strings, whatever else failed. */
    when(payload: z.core.ParsePayload): boolean {
      const value = payload.value as Record<string, unknown> | null;
      return typeof value === 'object' && value !== null && typeof value[keyField] === 'string';
    },
  };
}
