import { levelId } from './assets.js';
import { parseSync, type Reads } from './byte-source.js';
import { crc32 } from './crc32.js';
import { decoderFor } from './decoders.js';
import { encodeEnd, encodeHeader, type FrameHead, type Header } from './format.js';
import { nextMember, walkMember, type FrameEntry, type Member } from './member.js';
import type { FrameJob } from './protocol.js';

// Whole-stream layout: cutting input into frames, and locating and validating every member
// and frame of a compressed stream in memory before anything is decoded.

export interface FrameLocation extends FrameEntry {
  head: FrameHead;
  /** The payload, or the raw bytes of a stored frame (a view of the stream). */
  body: Uint8Array;
}

export interface MemberLayout extends Member {
  frames: FrameLocation[];
}

export interface StreamLayout {
  /** The members in stream order (one for a stream that is not a concatenation). */
  members: MemberLayout[];
  /** Raw bytes of the whole content. */
  totalLength: number;
}

function* walkStream(size: number): Reads<Member[]> {
  const members: Member[] = [];
  let pos = 0;
  do {
    const m = yield* walkMember(pos, size, false);
    members.push(m);
    pos += m.length;
  } while (yield* nextMember(pos, size));
  return members;
}

/**
 * Parses and validates the whole structure of a stream, every member (no decoding). An empty
 * input is not a stream (it ends inside the first header).
 */
export function scanStream(buf: Uint8Array): StreamLayout {
  const members = parseSync(walkStream(buf.length), buf).map((m) => ({
    ...m,
    frames: m.frames.map((f) => {
      const head = f.head!; // walked, not indexed: every head was read
      return { ...f, head, body: buf.subarray(f.offset + head.headLength, f.offset + f.recordLength) };
    }),
  }));
  return { members, totalLength: members.reduce((n, m) => n + m.rawLength, 0) };
}

/**
 * Throws unless a decoder for the model id of the member with this header is found: this
 * build's own, or a decoder pack (decoders.ts). offset: the member's stream offset, for the message.
 */
export function checkModel(header: Header, offset = 0): void {
  decoderFor(header, offset);
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

/** The decode jobs of every frame of every member, in content order. */
export function decodeJobs(layout: StreamLayout): FrameJob[] {
  return layout.members.flatMap((m) => m.frames.map((f) => decodeJob(m.header, f, f.head, f.body)));
}

export function decodeJob(header: Header, f: FrameEntry, head: FrameHead, body: Uint8Array): FrameJob {
  const pack = decoderFor(header);
  return { type: 'decode', level: header.level, head, body, index: f.index, offset: f.offset, ...(pack ? { pack } : {}) };
}

/** Checks the model of every member (checkModel). */
export function checkModels(layout: StreamLayout): void {
  for (const m of layout.members) checkModel(m.header, m.offset);
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
