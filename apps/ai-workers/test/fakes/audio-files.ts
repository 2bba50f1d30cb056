/*
 * Small, valid recordings of each allowed container, built in code with exactly known durations, so
 * duration checks are tested without shipping audio files. Only the structures a duration reader
 * looks at are real; the audio payload is silence or zeros.
 */

const u32be = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** A silent PCM WAV file of the given length (16-bit mono). */
export function silentWav(seconds: number, sampleRate = 8000): Buffer {
  const dataBytes = Math.round(seconds * sampleRate) * 2;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  return wav;
}

/** An ID3v2.4 tag with `bodyBytes` of (zero) frame data, as many MP3 and some FLAC files start with. */
export function id3v2Tag(bodyBytes: number): Buffer {
  const tag = Buffer.alloc(10 + bodyBytes);
  tag.write('ID3', 0, 'ascii');
  tag[3] = 4;
  tag[6] = (bodyBytes >> 21) & 0x7f;
  tag[7] = (bodyBytes >> 14) & 0x7f;
  tag[8] = (bodyBytes >> 7) & 0x7f;
  tag[9] = bodyBytes & 0x7f;
  return tag;
}

/** One MPEG-1 Layer III frame, 128 kbit/s, 44.1 kHz, stereo, no padding: 417 bytes, 1,152 samples. */
function mp3Frame(): Buffer {
  const frame = Buffer.alloc(417);
  frame.writeUInt32BE(0xfffb9064, 0);
  return frame;
}

/** A CBR MP3 without a Xing/VBRI header: its duration can only be found by walking the frames. */
export function headerlessMp3(frames: number, options: { id3Bytes?: number } = {}): Buffer {
  const parts = Array.from({ length: frames }, mp3Frame);
  return Buffer.concat([...(options.id3Bytes ? [id3v2Tag(options.id3Bytes)] : []), ...parts]);
}

/**
 * An MP3 whose first frame carries a Xing header claiming `claimedFrames` frames (the file itself
 * holds only `actualFrames`): the reader must trust the header, as players do.
 */
export function xingMp3(claimedFrames: number, actualFrames = 3): Buffer {
  const info = mp3Frame();
  const xing = 4 + 32; // after the header and the MPEG-1 stereo side information
  info.write('Xing', xing, 'ascii');
  info.writeUInt32BE(1, xing + 4); // flags: frame count present
  info.writeUInt32BE(claimedFrames, xing + 8);
  return Buffer.concat([info, ...Array.from({ length: actualFrames }, mp3Frame)]);
}

/** A FLAC stream: marker + STREAMINFO with the given sample rate and total samples (0 = unknown). */
export function flacFile(sampleRate: number, totalSamples: number): Buffer {
  const header = Buffer.from([0x80, 0, 0, 34]); // last metadata block, STREAMINFO, 34 bytes
  const info = Buffer.alloc(34);
  info.writeUInt16BE(4096, 0);
  info.writeUInt16BE(4096, 2);
  info[10] = (sampleRate >> 12) & 0xff;
  info[11] = (sampleRate >> 4) & 0xff;
  info[12] = ((sampleRate & 0x0f) << 4) | (0 << 1) | 0; // mono, bits-per-sample high bit 0
  info[13] = (15 << 4) | Math.floor(totalSamples / 2 ** 32); // 16 bits per sample
  info.writeUInt32BE(totalSamples % 2 ** 32, 14);
  return Buffer.concat([Buffer.from('fLaC', 'ascii'), header, info, Buffer.alloc(64)]);
}

function box(type: string, ...children: Buffer[]): Buffer {
  const body = Buffer.concat(children);
  return Buffer.concat([u32be(8 + body.length), Buffer.from(type, 'ascii'), body]);
}

function mvhd(version: 0 | 1, timescale: number, duration: number): Buffer {
  if (version === 0) {
    const body = Buffer.alloc(100);
    body.writeUInt32BE(timescale, 12);
    body.writeUInt32BE(duration, 16);
    return box('mvhd', body);
  }
  const body = Buffer.alloc(112);
  body[0] = 1;
  body.writeUInt32BE(timescale, 20);
  body.writeBigUInt64BE(BigInt(duration), 24);
  return box('mvhd', body);
}

/** An M4A file (ftyp, mdat, moov/mvhd); `moovFirst` puts the movie header before the media ("faststart"). */
export function m4aFile(options: {
  timescale: number;
  duration: number;
  version?: 0 | 1;
  moovFirst?: boolean;
}): Buffer {
  const ftyp = box('ftyp', Buffer.from('M4A \0\0\0\0M4A mp42isom', 'ascii'));
  const moov = box(
    'moov',
    mvhd(options.version ?? 0, options.timescale, options.duration),
    box('trak', Buffer.alloc(16)),
  );
  const mdat = box('mdat', Buffer.alloc(2048));
  return Buffer.concat(options.moovFirst ? [ftyp, moov, mdat] : [ftyp, mdat, moov]);
}

function oggPage(serial: number, sequence: number, granule: bigint, payload: Buffer, headerType = 0): Buffer {
  const header = Buffer.alloc(27);
  header.write('OggS', 0, 'ascii');
  header[5] = headerType;
  header.writeBigInt64LE(granule, 6);
  header.writeUInt32LE(serial, 14);
  header.writeUInt32LE(sequence, 18);
  // CRC left 0: the duration reader does not verify checksums.
  const lacing: number[] = [];
  let rest = payload.length;
  while (rest >= 255) {
    lacing.push(255);
    rest -= 255;
  }
  lacing.push(rest);
  header[26] = lacing.length;
  return Buffer.concat([header, Buffer.from(lacing), payload]);
}

/** An Ogg Opus stream whose last page's granule is `seconds` x 48 kHz plus the pre-skip. */
export function oggOpus(seconds: number, preSkip = 312): Buffer {
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'ascii');
  head[8] = 1; // version
  head[9] = 1; // channels
  head.writeUInt16LE(preSkip, 10);
  head.writeUInt32LE(16000, 12); // original input rate (informational)
  const serial = 0x1234;
  return Buffer.concat([
    oggPage(serial, 0, 0n, head, 2),
    oggPage(serial, 1, 0n, Buffer.from('OpusTags\0\0\0\0\0\0\0\0', 'ascii')),
    oggPage(serial, 2, BigInt(seconds * 48000 + preSkip) / 2n, Buffer.alloc(300)),
    oggPage(serial, 3, -1n, Buffer.alloc(100)), // no packet ends on this page
    oggPage(serial, 4, BigInt(seconds * 48000 + preSkip), Buffer.alloc(300), 4),
  ]);
}

/** An Ogg Vorbis stream at `sampleRate` lasting `seconds`. */
export function oggVorbis(seconds: number, sampleRate = 44100): Buffer {
  const ident = Buffer.alloc(30);
  ident[0] = 1;
  ident.write('vorbis', 1, 'ascii');
  ident[11] = 1; // channels
  ident.writeUInt32LE(sampleRate, 12);
  const serial = 0x99;
  return Buffer.concat([
    oggPage(serial, 0, 0n, ident, 2),
    oggPage(serial, 1, BigInt(Math.round(seconds * sampleRate)), Buffer.alloc(500), 4),
  ]);
}

/** EBML element with a 4-byte ID or shorter, and an 8-byte size (or unknown size). */
function ebml(id: number, body: Buffer, unknownSize = false): Buffer {
  const idBytes: number[] = [];
  for (let rest = id; rest > 0; rest = Math.floor(rest / 256)) idBytes.unshift(rest % 256);
  const size = Buffer.alloc(8);
  if (unknownSize) size.fill(0xff, 1);
  else size.writeBigUInt64BE(BigInt(body.length));
  size[0] = 0x01; // 8-byte VINT marker
  if (unknownSize) size[0] = 0x01;
  return Buffer.concat([Buffer.from(idBytes), size, body]);
}

/**
 * A WebM file: EBML header, a live-style Segment of unknown size, Info with TimestampScale 1 ms and
 * Duration in milliseconds when given (MediaRecorder output has none), then a Cluster.
 */
export function webmFile(durationSeconds?: number): Buffer {
  const header = ebml(0x1a45dfa3, ebml(0x4282, Buffer.from('webm', 'ascii')));
  const scale = ebml(0x2ad7b1, Buffer.from([0x0f, 0x42, 0x40])); // 1,000,000 ns
  const duration =
    durationSeconds === undefined
      ? []
      : [
          ebml(
            0x4489,
            (() => {
              const b = Buffer.alloc(8);
              b.writeDoubleBE(durationSeconds * 1000);
              return b;
            })(),
          ),
        ];
  const info = ebml(0x1549a966, Buffer.concat([scale, ...duration]));
  const cluster = ebml(0x1f43b675, Buffer.alloc(64), true);
  return Buffer.concat([header, ebml(0x18538067, Buffer.concat([info, cluster]), true)]);
}
