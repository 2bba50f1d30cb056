import { type ByteReader, id3v2Size, NotThisFormatError } from './byte-reader.js';

// Bitrates in kbit/s by [MPEG-1 ? 0 : 1][layer 1..3][index]; index 0 (free) and 15 (bad) are not playable here.
const BITRATES: readonly (readonly (readonly number[])[])[] = [
  [
    [],
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  [
    [],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
];
// Sample rates by version bits (3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5).
const SAMPLE_RATES: Readonly<Record<number, readonly number[]>> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

interface FrameHeader {
  readonly length: number;
  readonly samples: number;
  readonly sampleRate: number;
  readonly mpeg1: boolean;
  readonly mono: boolean;
}

/** Parses the 4-byte MPEG audio frame header at `offset`, or undefined when it is not one. */
function frameHeader(reader: ByteReader, offset: number): FrameHeader | undefined {
  if (!reader.has(offset, 4)) return undefined;
  const b1 = reader.u8(offset + 1);
  if (reader.u8(offset) !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const version = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  if (version === 1 || layerBits === 0) return undefined;
  const layer = 4 - layerBits; // 1, 2 or 3
  const b2 = reader.u8(offset + 2);
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const mpeg1 = version === 3;
  const bitrate = BITRATES[mpeg1 ? 0 : 1]![layer]![bitrateIndex]! * 1000;
  const sampleRate = SAMPLE_RATES[version]![rateIndex]!;
  const padding = (b2 >> 1) & 1;
  const samples = layer === 1 ? 384 : layer === 3 && !mpeg1 ? 576 : 1152;
  const length =
    layer === 1
      ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4
      : Math.floor(((samples / 8) * bitrate) / sampleRate) + padding;
  const mono = reader.u8(offset + 3) >> 6 === 3;
  return { length, samples, sampleRate, mpeg1, mono };
}

/** Frame count from a Xing/Info or VBRI header in the first frame, when the encoder wrote one. */
function headerFrameCount(reader: ByteReader, offset: number, first: FrameHeader): number | undefined {
  const sideInfo = first.mpeg1 ? (first.mono ? 17 : 32) : first.mono ? 9 : 17;
  const xing = offset + 4 + sideInfo;
  if (reader.has(xing, 12)) {
    const tag = reader.ascii(xing, 4);
    if ((tag === 'Xing' || tag === 'Info') && reader.u32be(xing + 4) & 1) return reader.u32be(xing + 8);
  }
  const vbri = offset + 36;
  if (reader.has(vbri, 18) && reader.ascii(vbri, 4) === 'VBRI') return reader.u32be(vbri + 14);
  return undefined;
}

/**
 * MP3 (MPEG audio): frames x samples per frame / sample rate. The frame count comes from the
 * Xing/Info or VBRI header when present, otherwise from walking every frame (CBR files without a
 * header, and VBR files whose header is missing). Leading ID3v2 tags are skipped; bytes between
 * frames (trailing tags, junk) are resynchronised over.
 */
export function mp3Duration(reader: ByteReader): number {
  let offset = id3v2Size(reader);
  // The first frame: allow a little junk before it, but require a second frame right after it, so
  // that a stray 0xFFE pattern in a non-MP3 file is not taken for audio.
  const searchEnd = Math.min(reader.length, offset + 64 * 1024);
  let first: FrameHeader | undefined;
  for (; offset < searchEnd; offset += 1) {
    const candidate = frameHeader(reader, offset);
    if (
      candidate &&
      (frameHeader(reader, offset + candidate.length) || offset + candidate.length === reader.length)
    ) {
      first = candidate;
      break;
    }
  }
  if (!first) throw new NotThisFormatError('no MPEG audio frame found');

  const fromHeader = headerFrameCount(reader, offset, first);
  if (fromHeader !== undefined) return (fromHeader * first.samples) / first.sampleRate;

  let seconds = 0;
  while (offset < reader.length) {
    const frame = frameHeader(reader, offset);
    if (frame && frame.length > 0) {
      seconds += frame.samples / frame.sampleRate;
      offset += frame.length;
    } else {
      offset += 1;
    }
  }
  return seconds;
}
