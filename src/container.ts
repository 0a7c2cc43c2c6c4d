import { levelId, levelIdsHex } from './assets.js';
import { crc32 } from './crc32.js';
import { KolmoFormatError, KolmoModelMismatchError } from './errors.js';
import {
  encodeEnd,
  encodeHeader,
  frameBodyLength,
  parseEnd,
  parseFrameHead,
  parseHeader,
  type EndRecord,
  type FrameHead,
  type Header,
} from './format.js';
import type { FrameJob } from './protocol.js';

// Whole-stream layout: cutting input into frames, and locating and validating
// every frame of a compressed stream before anything is decoded.

export interface FrameLocation {
  index: number;
  /** Byte offset of the frame record in the stream. */
  offset: number;
  head: FrameHead;
  body: Uint8Array;
}

export interface StreamLayout {
  header: Header;
  headerBytes: Uint8Array;
  frames: FrameLocation[];
  end: EndRecord | null;
  totalLength: number;
}

function truncated(where: string): KolmoFormatError {
  return new KolmoFormatError(`truncated stream: it ends inside ${where}`);
}

/** Parses and validates the whole structure of a stream (no decoding). */
export function scanStream(buf: Uint8Array): StreamLayout {
  const h = parseHeader(buf);
  if (!h) throw truncated('the header');
  const [header, headerLength] = h;
  const headerBytes = buf.subarray(0, headerLength);
  const frames: FrameLocation[] = [];
  let pos = headerLength;
  let total = 0;
  for (let index = 0; ; index++) {
    if (!header.multiFrame && index === 1) break;
    const head = parseFrameHead(buf, pos, header, index);
    if (!head) throw truncated(`frame ${index} at byte ${pos}`);
    if (header.multiFrame && head.rawLength === 0) break;
    const bodyLength = frameBodyLength(head);
    const bodyStart = pos + head.headLength;
    if (bodyLength > buf.length - bodyStart) throw truncated(`frame ${index} at byte ${pos}`);
    const prev = frames[frames.length - 1];
    if (header.multiFrame && prev && prev.head.rawLength !== header.frameSize) {
      throw new KolmoFormatError(
        `frame ${prev.index} at byte ${prev.offset}: raw length ${prev.head.rawLength} is short of the frame size ${header.frameSize}, and only the last frame may be shorter`,
      );
    }
    frames.push({ index, offset: pos, head, body: buf.subarray(bodyStart, bodyStart + bodyLength) });
    total += head.rawLength;
    pos = bodyStart + bodyLength;
  }
  let end: EndRecord | null = null;
  if (header.multiFrame) {
    end = parseEnd(buf, pos, headerBytes, crc32);
    if (!end) throw truncated(`the end record at byte ${pos}`);
    if (end.totalLength !== total) {
      throw new KolmoFormatError(`end record at byte ${pos}: total length ${end.totalLength} but the frames hold ${total}`);
    }
    if (end.recordSizes.length !== frames.length) {
      throw new KolmoFormatError(`end record at byte ${pos}: index lists ${end.recordSizes.length} frames, stream has ${frames.length}`);
    }
    frames.forEach((f, i) => {
      if (end!.recordSizes[i] !== f.head.headLength + f.body.length) {
        throw new KolmoFormatError(`end record at byte ${pos}: index entry ${i} does not match frame ${i}`);
      }
    });
    pos += end.length;
  }
  if (pos !== buf.length) throw new KolmoFormatError(`${buf.length - pos} unexpected bytes after the end of the stream at byte ${pos}`);
  return { header, headerBytes, frames, end, totalLength: total };
}

/** Throws unless this build has the predictor, model and prior the stream was made with (its model id). */
export function checkModel(header: Header): void {
  const ours = levelId(header.level);
  const theirs = header.modelId;
  const hex = Array.from(theirs, (b) => b.toString(16).padStart(2, '0')).join('');
  if (!ours) {
    throw new KolmoModelMismatchError(`the stream is level ${header.level} with model id ${hex} in the header (bytes 3-6), and this build has no model bundle (it codes level 1 only)`);
  }
  if (ours.some((b, i) => b !== theirs[i])) {
    throw new KolmoModelMismatchError(`the stream was made with model id ${hex} in the header (bytes 3-6, level ${header.level}); this build's level ${header.level} has model id ${levelIdsHex[header.level]}: it needs the kolmo release that wrote it`);
  }
}

export interface FramePlan {
  header: Uint8Array;
  multiFrame: boolean;
  jobs: FrameJob[];
}

/** The stream header for a level, frame layout and this build's model. */
export function streamHeader(level: number, multiFrame: boolean, frameSize: number): Uint8Array {
  const id = levelId(level);
  if (!id) throw new Error(`level ${level} is not in this build`); // resolveLevel refuses it first
  return encodeHeader({ level, multiFrame, modelId: id, frameSize, lanes: 1 });
}

/** Cuts data into frames and the jobs that compress them. */
export function planCompression(data: Uint8Array, level: number, frameSize: number): FramePlan {
  const multiFrame = data.length > frameSize;
  const header = streamHeader(level, multiFrame, frameSize);
  const jobs: FrameJob[] = [];
  if (!multiFrame) jobs.push({ type: 'encode', level, raw: data });
  else for (let off = 0; off < data.length; off += frameSize) {
    jobs.push({ type: 'encode', level, raw: data.subarray(off, Math.min(off + frameSize, data.length)) });
  }
  return { header, multiFrame, jobs };
}

/** Joins header, frame records and (multi-frame) end record into the stream. */
export function assembleStream(plan: FramePlan, records: Uint8Array[], totalLength: number): Uint8Array {
  const parts = [plan.header, ...records];
  if (plan.multiFrame) parts.push(encodeEnd(plan.header, totalLength, records.map((r) => r.length), crc32));
  return concat(parts);
}

export function decodeJobs(layout: StreamLayout): FrameJob[] {
  return layout.frames.map((f) => ({
    type: 'decode' as const,
    level: layout.header.level,
    head: f.head,
    body: f.body,
    index: f.index,
    offset: f.offset,
  }));
}

export function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
