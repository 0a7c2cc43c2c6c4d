import { scanStream } from './container.js';
import { toBytes } from './options.js';

export interface FrameInfo {
  index: number;
  offset: number;
  rawLength: number;
  /** Bytes of the frame record (head + body). */
  compressedLength: number;
  stored: boolean;
}

export interface StreamInfo {
  formatVersion: number;
  level: number;
  /** Hex model id: the predictor version, model bundle and prior the stream was coded with. */
  modelId: string;
  multiFrame: boolean;
  frameSize: number | null;
  frames: FrameInfo[];
  rawLength: number;
  compressedLength: number;
  /** Compressed bits per raw byte (NaN for empty input). */
  bitsPerByte: number;
}

/** Describes a .kz stream without decompressing it (the structure is fully validated). */
export function info(compressed: Uint8Array | ArrayBuffer): StreamInfo {
  const buf = toBytes(compressed);
  const s = scanStream(buf);
  return {
    formatVersion: s.header.version,
    level: s.header.level,
    modelId: Array.from(s.header.modelId, (b) => b.toString(16).padStart(2, '0')).join(''),
    multiFrame: s.header.multiFrame,
    frameSize: s.header.multiFrame ? s.header.frameSize : null,
    frames: s.frames.map((f) => ({
      index: f.index,
      offset: f.offset,
      rawLength: f.head.rawLength,
      compressedLength: f.head.headLength + f.body.length,
      stored: f.head.payloadLength === 0,
    })),
    rawLength: s.totalLength,
    compressedLength: buf.length,
    bitsPerByte: s.totalLength === 0 ? NaN : (buf.length * 8) / s.totalLength,
  };
}
