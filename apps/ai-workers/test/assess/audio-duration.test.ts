import { describe, expect, it } from 'vitest';
import { measureAudioDuration } from '../../src/assess/audio-duration.js';
import {
  flacFile,
  headerlessMp3,
  id3v2Tag,
  m4aFile,
  oggOpus,
  oggVorbis,
  silentWav,
  webmFile,
  xingMp3,
} from '../fakes/audio-files.js';

const MP3_FRAME_SECONDS = 1152 / 44100;

describe('measureAudioDuration reads the duration from the container itself', () => {
  it('WAV: data bytes / byte rate, capped at the bytes present', () => {
    expect(measureAudioDuration(silentWav(2.5), 'audio/wav')).toBe(2.5);
    expect(measureAudioDuration(silentWav(200), 'audio/x-wav')).toBe(200);
    const streamed = silentWav(10);
    streamed.writeUInt32LE(0xffffffff, 40); // header never patched by the recorder
    expect(measureAudioDuration(streamed, 'audio/wav')).toBe(10);
  });

  it('MP3: walks the frames of a CBR file without a VBR header, after an ID3v2 tag', () => {
    expect(measureAudioDuration(headerlessMp3(100), 'audio/mpeg')).toBeCloseTo(100 * MP3_FRAME_SECONDS, 9);
    expect(measureAudioDuration(headerlessMp3(50, { id3Bytes: 3000 }), 'audio/mpeg')).toBeCloseTo(
      50 * MP3_FRAME_SECONDS,
      9,
    );
  });

  it('MP3: trusts the Xing frame count when present', () => {
    expect(measureAudioDuration(xingMp3(10_000), 'audio/mpeg')).toBeCloseTo(10_000 * MP3_FRAME_SECONDS, 9);
  });

  it('FLAC: total samples / sample rate from STREAMINFO; unknown total gives undefined', () => {
    expect(measureAudioDuration(flacFile(16000, 16000 * 95), 'audio/flac')).toBe(95);
    expect(
      measureAudioDuration(Buffer.concat([id3v2Tag(100), flacFile(44100, 44100 * 3)]), 'audio/flac'),
    ).toBe(3);
    expect(measureAudioDuration(flacFile(16000, 0), 'audio/flac')).toBeUndefined();
  });

  it('M4A: mvhd duration / timescale, version 0 or 1, movie header before or after the media', () => {
    expect(measureAudioDuration(m4aFile({ timescale: 44100, duration: 44100 * 61 }), 'audio/mp4')).toBe(61);
    expect(
      measureAudioDuration(m4aFile({ timescale: 1000, duration: 90_500, moovFirst: true }), 'audio/mp4'),
    ).toBe(90.5);
    expect(
      measureAudioDuration(m4aFile({ timescale: 48000, duration: 48000 * 7, version: 1 }), 'audio/mp4'),
    ).toBe(7);
  });

  it('Ogg: last granule of the stream, Opus at 48 kHz less the pre-skip, Vorbis at its own rate', () => {
    expect(measureAudioDuration(oggOpus(150), 'audio/ogg')).toBe(150);
    expect(measureAudioDuration(oggVorbis(42, 22050), 'audio/ogg')).toBe(42);
  });

  it('WebM: Segment Info Duration x TimestampScale; MediaRecorder files without one give undefined', () => {
    expect(measureAudioDuration(webmFile(123.5), 'audio/webm')).toBe(123.5);
    expect(measureAudioDuration(webmFile(), 'audio/webm')).toBeUndefined();
  });
});

describe('measureAudioDuration rejects what is not a recording of the declared type', () => {
  const types = [
    'audio/wav',
    'audio/x-wav',
    'audio/mpeg',
    'audio/ogg',
    'audio/webm',
    'audio/mp4',
    'audio/flac',
  ];

  it.each(types)('fails UNSUPPORTED_MEDIA for text declared as %s', (type) => {
    expect(() => measureAudioDuration(Buffer.from('definitely not audio, just some text'), type)).toThrow(
      expect.objectContaining({
        code: 'UNSUPPORTED_MEDIA',
        message: expect.stringContaining(`cannot be read as ${type}`),
      }),
    );
  });

  it('fails UNSUPPORTED_MEDIA for a real file of another type', () => {
    expect(() => measureAudioDuration(silentWav(3), 'audio/mpeg')).toThrow(/cannot be read as audio\/mpeg/);
    expect(() => measureAudioDuration(headerlessMp3(20), 'audio/wav')).toThrow(/no RIFF\/WAVE header/);
  });

  it('fails UNSUPPORTED_MEDIA for a truncated header', () => {
    expect(() =>
      measureAudioDuration(m4aFile({ timescale: 1000, duration: 5000 }).subarray(0, 40), 'audio/mp4'),
    ).toThrow(/cannot be read as audio\/mp4/);
  });
});
