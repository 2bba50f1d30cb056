import { describe, expect, it } from 'vitest';
import {
  extensionForContentType,
  parseUploadKey,
  UPLOAD_KINDS,
  UPLOAD_LIMITS,
  uploadContentTypes,
  uploadExtensions,
  uploadKey,
  uploadKeyPattern,
} from '../src/index.js';
import { USER, UUID } from './helpers.js';

describe('UPLOAD_LIMITS', () => {
  it('holds the agreed limits and allow-lists', () => {
    expect(UPLOAD_LIMITS.speaking.maxBytes).toBe(25 * 1024 * 1024);
    expect(UPLOAD_LIMITS.documents.maxBytes).toBe(20 * 1024 * 1024);
    expect(uploadContentTypes('speaking')).toEqual([
      'audio/mpeg',
      'audio/mp4',
      'audio/wav',
      'audio/x-wav',
      'audio/webm',
      'audio/ogg',
      'audio/flac',
    ]);
    expect(uploadContentTypes('documents')).toEqual(['application/pdf', 'text/plain', 'text/markdown']);
    expect(uploadExtensions('speaking')).toEqual(['mp3', 'm4a', 'wav', 'webm', 'ogg', 'flac']);
    expect(uploadExtensions('documents')).toEqual(['pdf', 'txt', 'md']);
  });

  it('keeps every kind under the uploads prefix, one folder per kind', () => {
    for (const kind of UPLOAD_KINDS) expect(UPLOAD_LIMITS[kind].keyPrefix).toBe(`uploads/${kind}/`);
  });

  it('maps content types to extensions and refuses anything else (including inherited names)', () => {
    expect(extensionForContentType('speaking', 'audio/x-wav')).toBe('wav');
    expect(extensionForContentType('documents', 'text/markdown')).toBe('md');
    expect(extensionForContentType('documents', 'audio/mpeg')).toBeUndefined();
    expect(extensionForContentType('documents', 'toString')).toBeUndefined();
    expect(extensionForContentType('speaking', '__proto__')).toBeUndefined();
  });

  it('builds keys that match the pattern and parse back', () => {
    const key = uploadKey('speaking', USER, UUID, 'm4a');
    expect(key).toBe(`uploads/speaking/${USER}/${UUID}.m4a`);
    expect(uploadKeyPattern('speaking').test(key)).toBe(true);
    expect(uploadKeyPattern('documents').test(key)).toBe(false);
    expect(parseUploadKey('speaking', key)).toEqual({
      kind: 'speaking',
      userId: USER,
      id: UUID,
      extension: 'm4a',
    });
    expect(parseUploadKey('documents', key)).toBeUndefined();
    expect(parseUploadKey('speaking', `${key}.exe`)).toBeUndefined();
  });
});
