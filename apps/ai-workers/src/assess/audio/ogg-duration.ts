import { type ByteReader, NotThisFormatError } from './byte-reader.js';

const PAGE_HEADER = 27;

/**
 * Ogg (Opus or Vorbis): the granule position of the stream's last page, in samples. Opus granules
 * always count 48 kHz samples and include the encoder's pre-skip; Vorbis granules count samples at
 * the rate in its identification header. Other codecs in Ogg give `undefined`.
 */
export function oggDuration(reader: ByteReader): number | undefined {
  if (reader.ascii(0, 4) !== 'OggS') throw new NotThisFormatError('no Ogg page at the start');
  const serial = reader.u32le(14);
  const segments = reader.u8(26);
  const packet = PAGE_HEADER + segments;

  let sampleRate: number;
  let preSkip = 0;
  if (reader.has(packet, 8) && reader.ascii(packet, 8) === 'OpusHead') {
    sampleRate = 48_000;
    preSkip = reader.u16le(packet + 10);
  } else if (reader.has(packet, 7) && reader.ascii(packet + 1, 6) === 'vorbis' && reader.u8(packet) === 1) {
    sampleRate = reader.u32le(packet + 12);
    if (sampleRate === 0) throw new NotThisFormatError('Vorbis sample rate 0');
  } else {
    return undefined;
  }

  // The last page of this stream with a real granule position (-1 marks pages where no packet ends).
  let at = reader.lastIndexOf('OggS', reader.length - PAGE_HEADER);
  while (at > 0) {
    if (reader.has(at, PAGE_HEADER) && reader.u32le(at + 14) === serial) {
      const granule = reader.i64le(at + 6);
      if (granule >= 0n) return Math.max(0, Number(granule) - preSkip) / sampleRate;
    }
    at = reader.lastIndexOf('OggS', at - 1);
  }
  return undefined;
}
