import { KolmoFormatError } from './errors.js';

// The .kz container (all integers little-endian; varint = unsigned LEB128, at most 8 bytes):
//
// header      'K' | a capital letter, 'Z' − (version >> 3) | descriptor byte: version & 7 (bits 7..5),
//             multi-frame (bit 4), level (bits 3..0)
//             | model id (4 bytes: the predictor version, model bundle and prior the level used)
//             | multi-frame only: frame size varint, lane count varint
// frame       raw length varint | payload length varint (0 = stored: the raw bytes follow)
//             | CRC-32 of the raw bytes (u32) | payload
// end         multi-frame only: 0x00 | total raw length varint | frame count varint
//             | byte size of each frame record (varint each) | end length u32 (marker .. this field)
//             | CRC-32 of header + end record (u32)
//
// A single-frame stream is header + one frame and nothing after it: 7 bytes of header, the two
// length varints and the CRC: 13 bytes of overhead when the raw length is under 128, 14 when
// only the payload is, 15 for payloads of 128..16383 bytes.
//
// Each such stream, single- or multi-frame, is a member; members back to back are a stream
// too, whose content is the concatenation of theirs (as gzip, xz and zstd allow). A member starts where the one before it
// ended and the next bytes are 'K' and a capital letter (startsMember); any other bytes after a
// member are an error.

export const MAGIC0 = 0x4b; // 'K'
export const FORMAT_VERSION = 9; // 1: the first landing (2026-11-28); 2: int8 LM, retrained model, new priors;
// 3: level 2 mixes eight mixers and the LM in its final mixer, model v3, new priors;
// 4: level 1 keeps three hashed contexts (orders 2, 4, word), model v4, new priors;
// 5: model v5 and its level-2 prior (level 1's bytes are those of version 4);
// 6: level 2 mixes the corpus n-gram (train/ngram.py), its prior and model id cover the bundle;
// 7: both levels: larger context tables for frames of 16 KB or less, new priors;
// 8: the version's high bits move into byte 1 ('Y'), see versionMagic; level 2: a column
// context, a per-set mixer rate boost, n-gram v2 (KNG1 version 2); both levels: APM rate
// 1/64, averaged priors;
// 9: three levels: 2 = context models + corpus n-gram (no LM), 3 = level 2 + the LM (a residual
// LM multiplied with the n-gram), new priors
// Versions 1..7 had byte 1 = 'Z' and the version in the descriptor's 3 bits alone; the
// letter carries the bits above them, so a version-7 decoder sees any later stream as
// "not a kolmo stream" instead of misreading it.
/** Byte 1 of a stream of this version: 'Z' for versions 1..7, 'Y' for 8..15, 'X' for 16..23, … */
export function versionMagic(version: number): number {
  return 0x5a - (version >> 3);
}
/** The descriptor byte's version bits (7..5) for a version. */
export function versionBits(version: number): number {
  return (version & 7) << 5;
}
export const MAGIC1 = versionMagic(FORMAT_VERSION);
/** Levels this format defines (the descriptor's 4 bits leave room for more). */
export const MAX_LEVEL = 3;
/** Largest frame a stream may declare; bounds every allocation a decoder makes. */
export const MAX_FRAME_SIZE = 64 * 1024 * 1024;
export const DEFAULT_FRAME_SIZE = 1024 * 1024;
export const MAX_LANES = 1;
/** The longest header: K, letter, descriptor, model id, two 8-byte varints. */
export const MAX_HEADER_LENGTH = 3 + 4 + 8 + 8;
/** The longest frame head: two 8-byte varints and the CRC. */
export const MAX_FRAME_HEAD_LENGTH = 8 + 8 + 4;
/** The shortest end record: marker, total and count of one byte each, end length, CRC. */
export const MIN_END_LENGTH = 3 + 4 + 4;
/** The longest end record indexing `frames` frames. */
export function maxEndLength(frames: number): number {
  return 1 + 8 + 8 + 8 * frames + 4 + 4;
}

export interface Header {
  version: number;
  level: number;
  multiFrame: boolean;
  /** 4 bytes naming the predictor version, model bundle (levels 2, 3) and prior that coded the stream (scripts/embed.mjs). */
  modelId: Uint8Array;
  frameSize: number;
  lanes: number;
}

export interface FrameHead {
  rawLength: number;
  /** 0 when the frame is stored raw. */
  payloadLength: number;
  crc: number;
  /** Bytes of the head (raw length + payload length + CRC). */
  headLength: number;
}

export interface EndRecord {
  totalLength: number;
  recordSizes: number[];
  /** Bytes of the end record, marker through CRC. */
  length: number;
}

/** A model id as the API and messages show it: 8 lowercase hex digits. */
export function modelIdHex(id: Uint8Array): string {
  return Array.from(id, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function writeVarint(out: number[], value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint out of range: ${value}`);
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
}

/**
 * Reads a varint at pos: [value, next position], or null when the bytes end first.
 * base is the stream offset of buf[0] (for messages, when buf is a window of a stream).
 */
export function readVarint(buf: Uint8Array, pos: number, what: string, base = 0): [number, number] | null {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    if (pos + i >= buf.length) return null;
    const b = buf[pos + i];
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      if (i > 0 && b === 0) throw new KolmoFormatError(`${what}: over-long varint at byte ${base + pos}`);
      return [value, pos + i + 1];
    }
    scale *= 0x80;
  }
  throw new KolmoFormatError(`${what}: varint longer than 8 bytes at byte ${base + pos}`);
}

function readU32(buf: Uint8Array, pos: number): number {
  return (buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16) | (buf[pos + 3] << 24)) >>> 0;
}

function pushU32(out: number[], v: number): void {
  out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
}

export function encodeHeader(h: Omit<Header, 'version'>): Uint8Array {
  const out: number[] = [MAGIC0, MAGIC1, versionBits(FORMAT_VERSION) | (h.multiFrame ? 0x10 : 0) | h.level];
  if (!h.modelId || h.modelId.length !== 4) throw new Error('a 4-byte model id is required');
  out.push(...h.modelId);
  if (h.multiFrame) {
    writeVarint(out, h.frameSize);
    writeVarint(out, h.lanes);
  }
  return Uint8Array.from(out);
}

function isVersionLetter(b: number): boolean {
  return b >= 0x41 && b <= 0x5a; // byte 1 is 'Z' − (version >> 3)
}

/**
 * Whether a member starts at pos: 'K' and a capital letter (the member boundary rule; the
 * header is parsed and checked after). null when the bytes end before it can tell.
 */
export function startsMember(buf: Uint8Array, pos: number): boolean | null {
  if (pos >= buf.length) return null;
  if (buf[pos] !== MAGIC0) return false;
  if (pos + 1 >= buf.length) return null;
  return isVersionLetter(buf[pos + 1]);
}

/**
 * Parses the header at the start of buf: [header, its length], or null if buf is too short.
 * base is the stream offset of buf[0] (a member's offset), used in messages.
 */
export function parseHeader(buf: Uint8Array, base = 0): [Header, number] | null {
  if (buf.length >= 1 && buf[0] !== MAGIC0) throw new KolmoFormatError(`not a kolmo stream: bad magic at byte ${base}`);
  if (buf.length >= 2 && !isVersionLetter(buf[1])) throw new KolmoFormatError(`not a kolmo stream: bad magic at byte ${base + 1}`);
  if (buf.length < 3) return null; // what is there is checked already, so garbage fails early even when short
  const d = buf[2];
  const version = 8 * (0x5a - buf[1]) + (d >>> 5);
  if (version !== FORMAT_VERSION) {
    const why = version < FORMAT_VERSION ? 'written by an older kolmo' : 'written by a newer kolmo';
    throw new KolmoFormatError(`unsupported format version ${version} in the header, bytes ${base + 1}-${base + 2} (${why}; this build reads version ${FORMAT_VERSION} only)`);
  }
  const multiFrame = (d & 0x10) !== 0;
  const level = d & 0x0f;
  if (level < 1 || level > MAX_LEVEL) throw new KolmoFormatError(`unknown level ${level} at byte ${base + 2}`);
  let pos = 3;
  if (buf.length < pos + 4) return null;
  const modelId = buf.slice(pos, pos + 4);
  pos += 4;
  let frameSize = 0;
  let lanes = 1;
  if (multiFrame) {
    const at = pos;
    const fs = readVarint(buf, pos, 'header frame size', base);
    if (!fs) return null;
    [frameSize, pos] = fs;
    if (frameSize < 1 || frameSize > MAX_FRAME_SIZE) {
      throw new KolmoFormatError(`frame size ${frameSize} in the header is outside 1..${MAX_FRAME_SIZE} (byte ${base + at})`);
    }
    const lanesAt = pos;
    const ln = readVarint(buf, pos, 'header lane count', base);
    if (!ln) return null;
    [lanes, pos] = ln;
    if (lanes < 1 || lanes > MAX_LANES) throw new KolmoFormatError(`lane count ${lanes} in the header is not supported (byte ${base + lanesAt})`);
  }
  return [{ version, level, multiFrame, modelId, frameSize, lanes }, pos];
}

export function encodeFrameHead(rawLength: number, payloadLength: number, crc: number): Uint8Array {
  const out: number[] = [];
  writeVarint(out, rawLength);
  writeVarint(out, payloadLength);
  pushU32(out, crc);
  return Uint8Array.from(out);
}

/**
 * Parses a frame head at pos, validating its lengths against the header.
 * Returns null when more bytes are needed. In a multi-frame stream a raw length
 * of 0 is the end marker, reported as rawLength 0. base is the stream offset of
 * buf[0] (the streaming decoder parses from a window), used in messages.
 */
export function parseFrameHead(buf: Uint8Array, pos: number, header: Header, index: number, base = 0): FrameHead | null {
  const start = pos;
  const where = `frame ${index} at byte ${base + start}`;
  const rl = readVarint(buf, pos, where, base);
  if (!rl) return null;
  const rawLength = rl[0];
  pos = rl[1];
  if (header.multiFrame) {
    if (rawLength === 0) return { rawLength: 0, payloadLength: 0, crc: 0, headLength: pos - start };
    if (rawLength > header.frameSize) {
      throw new KolmoFormatError(`${where}: raw length ${rawLength} exceeds the frame size ${header.frameSize}`);
    }
  } else if (rawLength > MAX_FRAME_SIZE) {
    throw new KolmoFormatError(`${where}: raw length ${rawLength} exceeds the limit ${MAX_FRAME_SIZE}`);
  }
  const pl = readVarint(buf, pos, where, base);
  if (!pl) return null;
  const payloadLength = pl[0];
  pos = pl[1];
  if (payloadLength !== 0 && payloadLength >= rawLength) {
    throw new KolmoFormatError(`${where}: payload length ${payloadLength} is not smaller than the raw length ${rawLength}`);
  }
  if (buf.length < pos + 4) return null;
  const crc = readU32(buf, pos);
  pos += 4;
  return { rawLength, payloadLength, crc, headLength: pos - start };
}

/** Bytes that follow a frame head: the payload, or the raw bytes of a stored frame. */
export function frameBodyLength(head: FrameHead): number {
  return head.payloadLength === 0 ? head.rawLength : head.payloadLength;
}

export function encodeEnd(headerBytes: Uint8Array, totalLength: number, recordSizes: number[], crc32: (b: Uint8Array, prev?: number) => number): Uint8Array {
  const out: number[] = [0];
  writeVarint(out, totalLength);
  writeVarint(out, recordSizes.length);
  for (const s of recordSizes) writeVarint(out, s);
  pushU32(out, out.length + 4);
  const body = Uint8Array.from(out);
  const crc = crc32(body, crc32(headerBytes));
  const res = new Uint8Array(body.length + 4);
  res.set(body);
  res.set(Uint8Array.from([crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, crc >>> 24]), body.length);
  return res;
}

/** The end record's last bytes: its end length (u32, marker through this field) and its CRC (u32). */
export const END_TRAILER_LENGTH = 8;

/**
 * Where the end record that finishes at stream offset `end` starts, read from its trailer
 * (the END_TRAILER_LENGTH bytes before `end`). Arithmetic only: parseEnd validates the record.
 */
export function endRecordStart(trailer: Uint8Array, end: number): number {
  return end - 4 - readU32(trailer, 0);
}

/** The end record's fields before its index. */
export interface EndPrefix {
  totalLength: number;
  /** Frames indexed (entries that follow). */
  count: number;
  /** Bytes of the marker and the two varints. */
  length: number;
}

/** The longest end prefix: the marker and two 8-byte varints. */
export const MAX_END_PREFIX_LENGTH = 1 + 8 + 8;

/**
 * Parses the start of the end record at pos: marker, total raw length, frame count. Returns
 * null when more bytes are needed. base is the stream offset of buf[0], used in messages.
 */
export function parseEndPrefix(buf: Uint8Array, pos: number, base = 0): EndPrefix | null {
  const where = `end record at byte ${base + pos}`;
  if (pos >= buf.length) return null;
  if (buf[pos] !== 0) throw new KolmoFormatError(`${where}: missing end marker`);
  const tl = readVarint(buf, pos + 1, where, base);
  if (!tl) return null;
  const fc = readVarint(buf, tl[1], where, base);
  if (!fc) return null;
  return { totalLength: tl[0], count: fc[0], length: fc[1] - pos };
}

/**
 * Parses the end record starting at its 0x00 marker at pos. Returns null when
 * more bytes are needed. Checks the record's own CRC (over header + record).
 * base is the stream offset of buf[0], used in messages.
 */
export function parseEnd(
  buf: Uint8Array,
  pos: number,
  headerBytes: Uint8Array,
  crc32: (b: Uint8Array, prev?: number) => number,
  base = 0,
): EndRecord | null {
  const start = pos;
  const where = `end record at byte ${base + start}`;
  const prefix = parseEndPrefix(buf, pos, base);
  if (!prefix) return null;
  const { totalLength, count } = prefix;
  pos += prefix.length;
  // Sizes are read one varint at a time from bytes that exist: a garbage count
  // costs no allocation, it just runs out of bytes (truncation error upstream).
  const recordSizes: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = readVarint(buf, pos, where, base);
    if (!r) return null;
    recordSizes.push(r[0]);
    pos = r[1];
  }
  if (buf.length < pos + 8) return null;
  const endLength = readU32(buf, pos);
  if (endLength !== pos + 4 - start) throw new KolmoFormatError(`${where}: end length field ${endLength} does not match`);
  pos += 4;
  const stored = readU32(buf, pos);
  const actual = crc32(buf.subarray(start, pos), crc32(headerBytes));
  if (stored !== actual) throw new KolmoFormatError(`${where}: header/index checksum mismatch (stream damaged)`);
  return { totalLength, recordSizes, length: pos + 4 - start };
}
