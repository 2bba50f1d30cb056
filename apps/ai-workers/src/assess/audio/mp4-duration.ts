import { type ByteReader, NotThisFormatError } from './byte-reader.js';

/** Walks the boxes in [start, end) and returns the offset of the first of `type`, or -1. */
function findBox(
  reader: ByteReader,
  type: string,
  start: number,
  end: number,
): { body: number; end: number } | undefined {
  let offset = start;
  while (offset + 8 <= end && reader.has(offset, 8)) {
    let size = reader.u32be(offset);
    let header = 8;
    if (size === 1) {
      size = reader.u64be(offset + 8);
      header = 16;
    } else if (size === 0) {
      size = end - offset; // extends to the end of its parent
    }
    if (size < header) throw new NotThisFormatError(`box of impossible size ${size} at byte ${offset}`);
    if (reader.ascii(offset + 4, 4) === type)
      return { body: offset + header, end: Math.min(offset + size, end) };
    offset += size;
  }
  return undefined;
}

/**
 * MP4 / M4A: `moov/mvhd` duration / timescale (the movie header; `moov` may come before or after
 * the media data, the whole file is at hand). `undefined` when the header leaves the duration unset.
 */
export function mp4Duration(reader: ByteReader): number | undefined {
  if (reader.ascii(4, 4) !== 'ftyp') throw new NotThisFormatError('no ftyp box');
  const moov = findBox(reader, 'moov', 0, reader.length);
  if (!moov) throw new NotThisFormatError('no moov box');
  const mvhd = findBox(reader, 'mvhd', moov.body, moov.end);
  if (!mvhd) throw new NotThisFormatError('no mvhd box');
  const version = reader.u8(mvhd.body);
  const timescale = version === 1 ? reader.u32be(mvhd.body + 20) : reader.u32be(mvhd.body + 12);
  const duration = version === 1 ? reader.u64be(mvhd.body + 24) : reader.u32be(mvhd.body + 16);
  if (timescale === 0) throw new NotThisFormatError('timescale 0');
  const unset = version === 1 ? duration >= 2 ** 53 : duration === 0xffffffff;
  return duration > 0 && !unset ? duration / timescale : undefined;
}
