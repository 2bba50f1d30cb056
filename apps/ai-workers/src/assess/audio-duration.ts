import { PermanentJobError } from '../runtime/errors.js';
import { ByteReader, NotThisFormatError } from './audio/byte-reader.js';
import { flacDuration } from './audio/flac-duration.js';
import { mp3Duration } from './audio/mp3-duration.js';
import { mp4Duration } from './audio/mp4-duration.js';
import { oggDuration } from './audio/ogg-duration.js';
import { wavDuration } from './audio/wav-duration.js';
import { webmDuration } from './audio/webm-duration.js';

/** A reader per allowed Speaking content type (`UPLOAD_LIMITS.speaking.contentTypes`). */
const READERS: Readonly<Record<string, (reader: ByteReader) => number | undefined>> = {
  'audio/mpeg': mp3Duration,
  'audio/mp4': mp4Duration,
  'audio/wav': wavDuration,
  'audio/x-wav': wavDuration,
  'audio/webm': webmDuration,
  'audio/ogg': oggDuration,
  'audio/flac': flacDuration,
};

/**
 * Measures a recording's duration in seconds from its own container (WAV and FLAC headers, MP3
 * Xing/VBRI headers or a frame walk, MP4 `mvhd`, the last Ogg granule, WebM segment info).
 * Client-supplied metadata is never used for this: it is whatever the uploader claims. The readers
 * are small and specific to the seven allowed types (a general media library would cost the speaking
 * bundle about 200 KB of parsers for formats it never accepts).
 *
 * Returns `undefined` when the container does not record a duration (browser MediaRecorder WebM
 * files usually do not); the limit is then enforced on the transcript's timings, which
 * speaking-finalize checks for every recording anyway, since a header can understate the length.
 * Throws `UNSUPPORTED_MEDIA` when the bytes are not a readable file of the declared type.
 */
export function measureAudioDuration(bytes: Uint8Array, contentType: string): number | undefined {
  const read = READERS[contentType];
  if (!read) throw unreadable(contentType, 'no duration reader for this type');
  let seconds: number | undefined;
  try {
    seconds = read(new ByteReader(bytes));
  } catch (error) {
    if (error instanceof NotThisFormatError) throw unreadable(contentType, error.message);
    throw error;
  }
  return seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
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
