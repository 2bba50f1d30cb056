import { type ByteReader, NotThisFormatError } from './byte-reader.js';

const EBML_HEADER = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const CLUSTER = 0x1f43b675;
const TIMESTAMP_SCALE = 0x2ad7b1;
const DURATION = 0x4489;

interface Element {
  readonly id: number;
  readonly body: number;
  /** Undefined for an element of unknown size (live-streamed segments and clusters). */
  readonly size: number | undefined;
}

/** Reads an EBML element header (ID with its marker bits, then the size VINT) at `offset`. */
function element(reader: ByteReader, offset: number): Element {
  const first = reader.u8(offset);
  const idLength = Math.clz32(first) - 23; // leading zeros within the byte, plus one
  if (idLength < 1 || idLength > 4) throw new NotThisFormatError(`bad EBML id at byte ${offset}`);
  let id = 0;
  for (let i = 0; i < idLength; i += 1) id = id * 256 + reader.u8(offset + i);
  const sizeAt = offset + idLength;
  const sizeFirst = reader.u8(sizeAt);
  const sizeLength = Math.clz32(sizeFirst) - 23;
  if (sizeLength < 1 || sizeLength > 8) throw new NotThisFormatError(`bad EBML size at byte ${sizeAt}`);
  let size = sizeFirst & (0xff >> sizeLength);
  let allOnes = size === 0xff >> sizeLength;
  for (let i = 1; i < sizeLength; i += 1) {
    const byte = reader.u8(sizeAt + i);
    size = size * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { id, body: sizeAt + sizeLength, size: allOnes ? undefined : size };
}

/**
 * WebM (Matroska): `Segment/Info/Duration` x `TimestampScale`. Recordings made by a browser's
 * MediaRecorder usually have no Duration (they are written as a live stream); those give
 * `undefined`, and the limit is enforced on the transcript instead.
 */
export function webmDuration(reader: ByteReader): number | undefined {
  const header = element(reader, 0);
  if (header.id !== EBML_HEADER || header.size === undefined) throw new NotThisFormatError('no EBML header');
  const segment = element(reader, header.body + header.size);
  if (segment.id !== SEGMENT) throw new NotThisFormatError('no Segment after the EBML header');
  const segmentEnd =
    segment.size === undefined ? reader.length : Math.min(reader.length, segment.body + segment.size);

  let offset = segment.body;
  while (offset < segmentEnd) {
    const child = element(reader, offset);
    if (child.id === CLUSTER || child.size === undefined) return undefined; // media starts: no Info before it
    if (child.id === INFO) {
      let scale = 1_000_000; // nanoseconds per timestamp unit, the Matroska default
      let duration: number | undefined;
      for (let at = child.body; at < child.body + child.size; ) {
        const field = element(reader, at);
        if (field.size === undefined) throw new NotThisFormatError('Info field of unknown size');
        if (field.id === TIMESTAMP_SCALE) {
          scale = 0;
          for (let i = 0; i < field.size; i += 1) scale = scale * 256 + reader.u8(field.body + i);
        }
        if (field.id === DURATION) {
          duration = field.size === 4 ? reader.f32be(field.body) : reader.f64be(field.body);
        }
        at = field.body + field.size;
      }
      return duration !== undefined && Number.isFinite(duration) && duration > 0
        ? (duration * scale) / 1e9
        : undefined;
    }
    offset = child.body + child.size;
  }
  return undefined;
}
