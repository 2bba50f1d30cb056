import { S3_PREFIXES } from '../names.js';
import { USER_ID_PATTERN } from './ids.js';

/** The two kinds of upload: Speaking recordings and flashcard source documents. */
export const UPLOAD_KINDS = ['speaking', 'documents'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

const MB = 1024 * 1024;

/**
 * Limits of each kind of upload. The request schema, the upload function's presigned POST policy
 * (`content-length-range`, exact `Content-Type`) and the workers' object checks all read this one table.
 */
export const UPLOAD_LIMITS = {
  speaking: {
    /** Largest object accepted, in bytes. */
    maxBytes: 25 * MB,
    /** Allowed content types and the extension an object of that type is stored with. */
    contentTypes: {
      'audio/mpeg': 'mp3',
      'audio/mp4': 'm4a',
      'audio/wav': 'wav',
      'audio/x-wav': 'wav',
      'audio/webm': 'webm',
      'audio/ogg': 'ogg',
      'audio/flac': 'flac',
    },
    /** Objects live under `<keyPrefix><userId>/<uuid>.<ext>`. */
    keyPrefix: `${S3_PREFIXES.uploads}speaking/`,
  },
  documents: {
    maxBytes: 20 * MB,
    contentTypes: {
      'application/pdf': 'pdf',
      'text/plain': 'txt',
      'text/markdown': 'md',
    },
    keyPrefix: `${S3_PREFIXES.uploads}documents/`,
  },
} as const;

export type UploadContentType<K extends UploadKind = UploadKind> =
  keyof (typeof UPLOAD_LIMITS)[K]['contentTypes'];
export type UploadExtension<K extends UploadKind = UploadKind> =
  (typeof UPLOAD_LIMITS)[K]['contentTypes'][UploadContentType<K>];

/** Longest Speaking recording the speaking worker accepts (checked before Transcribe is called). */
export const SPEAKING_MAX_AUDIO_SECONDS = 15 * 60;

/** How long a presigned upload POST stays valid. */
export const UPLOAD_URL_EXPIRES_SECONDS = 15 * 60;

/** Content types allowed for a kind, as a list (for enums and policies). */
export function uploadContentTypes<K extends UploadKind>(kind: K): readonly UploadContentType<K>[] {
  return Object.keys(UPLOAD_LIMITS[kind].contentTypes) as UploadContentType<K>[];
}

/** File extensions allowed for a kind, without duplicates (`wav` appears once). */
export function uploadExtensions<K extends UploadKind>(kind: K): readonly UploadExtension<K>[] {
  return [...new Set(Object.values(UPLOAD_LIMITS[kind].contentTypes))] as UploadExtension<K>[];
}

/** The extension stored for a content type of a kind, or `undefined` when the type is not allowed. */
export function extensionForContentType(kind: UploadKind, contentType: string): string | undefined {
  const types: Readonly<Record<string, string>> = UPLOAD_LIMITS[kind].contentTypes;
  return Object.hasOwn(types, contentType) ? types[contentType] : undefined;
}

const UUID_SEGMENT = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const USER_SEGMENT = USER_ID_PATTERN.source.slice(1, -1);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `^uploads/<kind>/<userId>/<uuid>.<ext>$`, with the kind's extensions; groups: userId, id, ext. */
export function uploadKeyPattern(kind: UploadKind): RegExp {
  const extensions = uploadExtensions(kind).map(escapeRegExp).join('|');
  return new RegExp(
    `^${escapeRegExp(UPLOAD_LIMITS[kind].keyPrefix)}(${USER_SEGMENT})/(${UUID_SEGMENT})\\.(${extensions})$`,
  );
}

/** Builds the object key of an upload. */
export function uploadKey(kind: UploadKind, userId: string, id: string, extension: string): string {
  return `${UPLOAD_LIMITS[kind].keyPrefix}${userId}/${id}.${extension}`;
}

export interface ParsedUploadKey {
  readonly kind: UploadKind;
  readonly userId: string;
  readonly id: string;
  readonly extension: string;
}

/** Splits an upload key into its parts, or `undefined` when it does not match the kind's pattern. */
export function parseUploadKey(kind: UploadKind, key: string): ParsedUploadKey | undefined {
  const match = uploadKeyPattern(kind).exec(key);
  if (!match) return undefined;
  const [, userId, id, extension] = match as unknown as [string, string, string, string];
  return { kind, userId, id, extension };
}
