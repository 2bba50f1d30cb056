import { describe, expect, it } from 'vitest';
import { measureAudioDuration } from '../../src/assess/audio-duration.js';
import { headerlessMp3, silentWav } from '../fakes/audio-files.js';

describe('measureAudioDuration', () => {
  it('reads the duration from the container', async () => {
    expect(await measureAudioDuration(silentWav(2.5), 'audio/wav')).toBe(2.5);
    expect(await measureAudioDuration(silentWav(200), 'audio/x-wav')).toBe(200);
  });

  it('counts the frames of an MP3 that has no VBR header', async () => {
    expect(await measureAudioDuration(headerlessMp3(100), 'audio/mpeg')).toBeCloseTo((100 * 1152) / 44100, 6);
  });

  it('fails UNSUPPORTED_MEDIA when the bytes are not a file of the declared type', async () => {
    for (const type of ['audio/wav', 'audio/mpeg', 'audio/ogg', 'audio/webm', 'audio/mp4', 'audio/flac']) {
      await expect(
        measureAudioDuration(Buffer.from('definitely not audio, just text'), type),
      ).rejects.toMatchObject({
        code: 'UNSUPPORTED_MEDIA',
        message: expect.stringContaining(`cannot be read as ${type}`),
      });
    }
  });
});
