/** Thrown by a container reader when the bytes are not (a readable file of) its format. */
export class NotThisFormatError extends Error {
  override readonly name = 'NotThisFormatError';
}

/** Bounds-checked big/little-endian reads over a byte array; out of range means a malformed file. */
export class ByteReader {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  has(offset: number, count: number): boolean {
    return offset >= 0 && count >= 0 && offset + count <= this.bytes.length;
  }

  private need(offset: number, count: number): void {
    if (!this.has(offset, count)) throw new NotThisFormatError(`truncated at byte ${offset}`);
  }

  ascii(offset: number, count: number): string {
    this.need(offset, count);
    return String.fromCharCode(...this.bytes.subarray(offset, offset + count));
  }

  u8(offset: number): number {
    this.need(offset, 1);
    return this.bytes[offset]!;
  }

  u16le(offset: number): number {
    this.need(offset, 2);
    return this.view.getUint16(offset, true);
  }

  u32le(offset: number): number {
    this.need(offset, 4);
    return this.view.getUint32(offset, true);
  }

  u32be(offset: number): number {
    this.need(offset, 4);
    return this.view.getUint32(offset, false);
  }

  /** 64-bit values as numbers: exact up to 2^53, far beyond any sample or byte count here. */
  u64be(offset: number): number {
    this.need(offset, 8);
    return Number(this.view.getBigUint64(offset, false));
  }

  i64le(offset: number): bigint {
    this.need(offset, 8);
    return this.view.getBigInt64(offset, true);
  }

  f32be(offset: number): number {
    this.need(offset, 4);
    return this.view.getFloat32(offset, false);
  }

  f64be(offset: number): number {
    this.need(offset, 8);
    return this.view.getFloat64(offset, false);
  }

  /** Offset of the last occurrence of `ascii` at or before `from`, or -1. */
  lastIndexOf(ascii: string, from: number): number {
    const first = ascii.charCodeAt(0);
    for (let i = Math.min(from, this.bytes.length - ascii.length); i >= 0; i -= 1) {
      if (this.bytes[i] === first && this.ascii(i, ascii.length) === ascii) return i;
    }
    return -1;
  }
}

/** Size of an ID3v2 tag at `offset` (header, body and footer), or 0 when there is none. */
export function id3v2Size(reader: ByteReader, offset = 0): number {
  if (!reader.has(offset, 10) || reader.ascii(offset, 3) !== 'ID3') return 0;
  const flags = reader.u8(offset + 5);
  // Syncsafe integer: 4 x 7 bits.
  const body =
    ((reader.u8(offset + 6) & 0x7f) << 21) |
    ((reader.u8(offset + 7) & 0x7f) << 14) |
    ((reader.u8(offset + 8) & 0x7f) << 7) |
    (reader.u8(offset + 9) & 0x7f);
  return 10 + body + (flags & 0x10 ? 10 : 0);
}
