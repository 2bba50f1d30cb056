import { type ByteReader, id3v2Size, NotThisFormatError } from './byte-reader.js';

/**
 * FLAC: total samples / sample rate from the STREAMINFO block, which the format requires first.
 * `undefined` when the encoder did not record the total (allowed for streamed encodes).
 */
export function flacDuration(reader: ByteReader): number | undefined {
  const start = id3v2Size(reader);
  if (reader.ascii(start, 4) !== 'fLaC') throw new NotThisFormatError('no fLaC marker');
  const header = start + 4;
  if ((reader.u8(header) & 0x7f) !== 0)
    throw new NotThisFormatError('first metadata block is not STREAMINFO');
  const info = header + 4;
  // Bytes 10-17 of STREAMINFO: sample rate (20 bits), channels (3), bits per sample (5), total samples (36).
  const sampleRate = (reader.u8(info + 10) << 12) | (reader.u8(info + 11) << 4) | (reader.u8(info + 12) >> 4);
  const totalSamples = (reader.u8(info + 13) & 0x0f) * 2 ** 32 + reader.u32be(info + 14);
  if (sampleRate === 0) throw new NotThisFormatError('sample rate 0');
  return totalSamples > 0 ? totalSamples / sampleRate : undefined;
}
