import { type ByteReader, NotThisFormatError } from './byte-reader.js';

/**
 * WAV (RIFF/WAVE): the `data` chunk's byte count divided by the `fmt ` chunk's byte rate. A `data`
 * size larger than the file (a streamed recording that never patched its header) counts the bytes
 * actually present.
 */
export function wavDuration(reader: ByteReader): number {
  if (reader.ascii(0, 4) !== 'RIFF' || reader.ascii(8, 4) !== 'WAVE')
    throw new NotThisFormatError('no RIFF/WAVE header');
  let byteRate: number | undefined;
  let offset = 12;
  while (reader.has(offset, 8)) {
    const id = reader.ascii(offset, 4);
    const size = reader.u32le(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') byteRate = reader.u32le(body + 8);
    if (id === 'data') {
      if (!byteRate) throw new NotThisFormatError('no byte rate before the data chunk');
      return Math.min(size, reader.length - body) / byteRate;
    }
    offset = body + size + (size % 2); // chunks are padded to an even size
  }
  throw new NotThisFormatError('no data chunk');
}
