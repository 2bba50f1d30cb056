import { IsoDateTimeSchema, UserIdSchema } from './ids.js';
import { UPLOAD_LIMITS, type UploadKind, uploadContentTypes } from './upload-limits.js';
import * as z from './zod.js';

function uploadRequestOf<K extends UploadKind>(kind: K) {
  const types = uploadContentTypes(kind) as unknown as [UploadContentTypeOf<K>, ...UploadContentTypeOf<K>[]];
  return z.strictObject({
    userId: UserIdSchema,
    kind: z.literal(kind),
    /** Must be one of the kind's allowed types; S3 enforces it on the POST too. */
    contentType: z.enum(types, {
      message: `Must be one of: ${types.join(', ')}`,
    }),
    /** Size of the file to upload; S3 enforces it on the POST (`content-length-range`). */
    sizeBytes: z.int().check(
      z.gte(1),
      z.lte(UPLOAD_LIMITS[kind].maxBytes, {
        message: `Must be at most ${UPLOAD_LIMITS[kind].maxBytes} bytes`,
      }),
    ),
  });
}
type UploadContentTypeOf<K extends UploadKind> = keyof (typeof UPLOAD_LIMITS)[K]['contentTypes'] & string;

export const SpeakingUploadRequestSchema = uploadRequestOf('speaking');
export const DocumentUploadRequestSchema = uploadRequestOf('documents');

/** Body of `POST /v1/uploads`: the allowed content types and size depend on `kind`. */
export const UploadRequestSchema = z.discriminatedUnion('kind', [
  SpeakingUploadRequestSchema,
  DocumentUploadRequestSchema,
]);
export type UploadRequest = z.infer<typeof UploadRequestSchema>;

/** Answer of `POST /v1/uploads`: a presigned POST (form fields + URL) for exactly one object. */
export const UploadResponseSchema = z.strictObject({
  /** Where to POST the multipart form. */
  url: z.url(),
  /** Form fields to send before the file (policy, signature, key, Content-Type, ...). */
  fields: z.record(z.string(), z.string()),
  /** The object key to pass to the assessment or flashcard request afterwards. */
  key: z.string().check(z.minLength(1), z.maxLength(1024)),
  /** When the presigned POST stops working. */
  expiresAt: IsoDateTimeSchema,
  /** Largest file S3 will accept for this upload. */
  maxBytes: z.int().check(z.gte(1)),
});
export type UploadResponse = z.infer<typeof UploadResponseSchema>;
