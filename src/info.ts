import { scanStream, type MemberLayout } from './container.js';
import { modelIdHex } from './format.js';
import { toBytes } from './options.js';

export interface FrameInfo {
  /** Position of the frame in its member, from 0 (as error messages number frames). */
  index: number;
  /** Stream offset of the frame record. */
  offset: number;
  rawLength: number;
  /** Bytes of the frame record (head + body). */
  compressedLength: number;
  stored: boolean;
}

/** One member of a stream (a stream is one member, or several concatenated). */
export interface MemberInfo {
  /** Stream offset of the member's header. */
  offset: number;
  level: number;
  /** Hex model id: the predictor version, model bundle and prior the member was coded with. */
  modelId: string;
  multiFrame: boolean;
  frameSize: number | null;
  /** The member's frames, offsets in the stream. */
  frames: FrameInfo[];
  /** Raw bytes of the member's content. */
  rawLength: number;
  /** Bytes of the member. */
  compressedLength: number;
}

/**
 * A stream's description. For a stream of one member the top-level fields describe it; for
 * several, formatVersion, level, modelId, multiFrame and frameSize are the first member's,
 * frames are those of all members in stream order (offsets in the stream, index within the
 * member), and rawLength, compressedLength and bitsPerByte cover the whole stream.
 */
export interface StreamInfo extends Omit<MemberInfo, 'offset'> {
  formatVersion: number;
  /** Compressed bits per raw byte (NaN for empty input). */
  bitsPerByte: number;
  /** Every member, in stream order (one for a stream that is not a concatenation). */
  members: MemberInfo[];
}

function memberInfo(m: MemberLayout): MemberInfo {
  return {
    offset: m.offset,
    level: m.header.level,
    modelId: modelIdHex(m.header.modelId),
    multiFrame: m.header.multiFrame,
    frameSize: m.header.multiFrame ? m.header.frameSize : null,
    frames: m.frames.map((f) => ({
      index: f.index,
      offset: f.offset,
      rawLength: f.rawLength,
      compressedLength: f.recordLength,
      stored: f.head.payloadLength === 0,
    })),
    rawLength: m.rawLength,
    compressedLength: m.length,
  };
}

/** Describes a .kz stream without decompressing it (the structure of every member is fully validated). */
export function info(compressed: Uint8Array | ArrayBuffer): StreamInfo {
  const buf = toBytes(compressed);
  const s = scanStream(buf);
  const members = s.members.map(memberInfo);
  const first = members[0];
  return {
    formatVersion: s.members[0].header.version,
    level: first.level,
    modelId: first.modelId,
    multiFrame: first.multiFrame,
    frameSize: first.frameSize,
    frames: members.flatMap((m) => m.frames),
    rawLength: s.totalLength,
    compressedLength: buf.length,
    bitsPerByte: s.totalLength === 0 ? NaN : (buf.length * 8) / s.totalLength,
    members,
  };
}
