import { parseBuffer } from 'music-metadata';
import { PermanentJobError } from '../runtime/errors.js';

/**
 * Measures a recording's duration in seconds from its own container headers and frames (WAV and
 * FLAC headers, MP3 Xing/VBRI headers or a frame scan, MP4 `mvhd`, Ogg granule positions, WebM
 * segment info), with the maintained `music-metadata` parser. Client-supplied metadata is never
 * trusted for this: it is whatever the uploader claims.
 *
 * Returns `undefined` when the container does not record a duration (browser MediaRecorder WebM
 * files often omit it); the caller then enforces the limit on the transcript's timings instead.
 * Throws `UNSUPPORTED_MEDIA` when the bytes are not a readable file of the declared type.
 */
export async function measureAudioDuration(
  bytes: Uint8Array,
  contentType: string,
): Promise<number | undefined> {
  let format: Awaited<ReturnType<typeof parseBuffer>>['format'];
  try {
    ({ format } = await parseBuffer(
      bytes,
      { mimeType: contentType, size: bytes.length },
      { duration: true, skipCovers: true, skipPostHeaders: true },
    ));
  } catch (error) {
    throw unreadable(contentType, (error as Error).message);
  }
  // Some parsers give up quietly on bytes that are not their format: no container means not audio.
  if (!format.container) throw unreadable(contentType, 'no audio container found');
  const duration = format.duration;
  return typeof duration === 'number' && Number.isFinite(duration) && duration > 0 ? duration : undefined;
}

function unreadable(contentType: string, reason: string): PermanentJobError {
  return new PermanentJobError(
    'UNSUPPORTED_MEDIA',
    `The recording cannot be read as ${contentType}: ${reason}`,
    {
      contentType,
    },
  );
}
