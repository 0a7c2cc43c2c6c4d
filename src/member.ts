import type { Reads } from './byte-source.js';
import { crc32 } from './crc32.js';
import { KolmoFormatError } from './errors.js';
import {
  END_TRAILER_LENGTH,
  endRecordStart,
  frameBodyLength,
  MAX_FRAME_HEAD_LENGTH,
  MAX_END_PREFIX_LENGTH,
  MAX_HEADER_LENGTH,
  maxEndLength,
  MIN_END_LENGTH,
  parseEnd,
  parseEndPrefix,
  parseFrameHead,
  parseHeader,
  startsMember,
  type EndRecord,
  type FrameHead,
  type Header,
} from './format.js';

// Members: a header, its frame records and (multi-frame) its end record. A stream is one
// member or several back to back (format.ts). Every check on where a member's parts lie and
// how they agree is here, in one parse that asks for bytes at offsets (byte-source.ts):
// StreamParser, driven
// - over a buffer by scanStream (container.ts), through walkMember and nextMember;
// - over a ByteSource by the range reader (range.ts), which also takes a multi-frame member's
//   frames from the index in its end record, found from the end of the input (lastMember), and
//   reads only the frames it decodes (readFrame);
// - over pushed chunks by the stream decoder (stream.ts).
// Offsets in messages are stream offsets (bytes from the first member).

/** A frame of a member: where its record lies and what it decodes to. */
export interface FrameEntry {
  /** Position of the frame in its member, from 0 (messages number frames so). */
  index: number;
  /** Stream offset of the frame record. */
  offset: number;
  /** Bytes of the record: head + body. */
  recordLength: number;
  /** Raw bytes it decodes to: 1..frame size in a multi-frame member, 0..MAX_FRAME_SIZE alone. */
  rawLength: number;
  /** Offset of its first raw byte in its member's content. */
  rawOffset: number;
  /** The parsed head when the walk read it; null when the frame is known from the index only. */
  head: FrameHead | null;
}

export interface Member {
  /** Stream offset of the header. */
  offset: number;
  /** Bytes of the member, header through its last frame (single) or its end record (multi). */
  length: number;
  header: Header;
  headerBytes: Uint8Array;
  frames: FrameEntry[];
  end: EndRecord | null;
  /** Stream offset of the end record; -1 for a single-frame member. */
  endOffset: number;
  /** Raw bytes of the member's content. */
  rawLength: number;
}

function truncated(where: string): KolmoFormatError {
  return new KolmoFormatError(`truncated stream: it ends inside ${where}`);
}

/** Bytes after a complete member that do not start another (count when known). */
function trailingBytes(pos: number, count?: number): KolmoFormatError {
  return new KolmoFormatError(`${count === undefined ? '' : `${count} `}unexpected bytes after the end of the stream at byte ${pos}`);
}

/** An end record (at `at`) that does not end within maxEndLength(frames) bytes: its count or a varint is wrong. */
function endTooLong(at: number, frames: number): KolmoFormatError {
  return new KolmoFormatError(`end record at byte ${at}: longer than an index of ${frames} frames can be`);
}

/** In a multi-frame member only the last frame may be short: throws when a frame follows a short one. */
function checkFollowsFull(header: Header, prev: { index: number; offset: number; rawLength: number }): void {
  if (header.multiFrame && prev.rawLength !== header.frameSize) {
    throw new KolmoFormatError(
      `frame ${prev.index} at byte ${prev.offset}: raw length ${prev.rawLength} is short of the frame size ${header.frameSize}, and only the last frame may be shorter`,
    );
  }
}

/** Throws unless the end record at `at` indexes exactly the frame records read before it. */
function checkEnd(end: EndRecord, recordSizes: readonly number[], total: number, at: number): void {
  if (end.totalLength !== total) {
    throw new KolmoFormatError(`end record at byte ${at}: total length ${end.totalLength} but the frames hold ${total}`);
  }
  if (end.recordSizes.length !== recordSizes.length) {
    throw new KolmoFormatError(`end record at byte ${at}: index lists ${end.recordSizes.length} frames, stream has ${recordSizes.length}`);
  }
  recordSizes.forEach((s, i) => {
    if (end.recordSizes[i] !== s) throw indexMismatch(at, i);
  });
}

function indexMismatch(at: number, i: number): KolmoFormatError {
  return new KolmoFormatError(`end record at byte ${at}: index entry ${i} does not match frame ${i}`);
}

/**
 * After a member that ends at `offset`: whether another member starts there (startsMember).
 * bytes: those at offset (2 are enough); available: bytes present from offset on; ended: the
 * input ends after them. false where the input ends at offset, null where the bytes present
 * cannot tell yet; any other bytes are an error naming their offset (and count, when ended).
 */
function memberFollows(bytes: Uint8Array, offset: number, available: number, ended: boolean): boolean | null {
  if (available === 0) return ended ? false : null;
  const starts = startsMember(bytes, 0);
  if (starts === true) return true;
  if (starts === null && !ended) return null;
  throw trailingBytes(offset, ended ? available : undefined);
}

/** After a member that ends at pos in an input of `size` bytes: whether another member starts there (memberFollows). */
export function* nextMember(pos: number, size: number): Reads<boolean> {
  const b = pos < size ? yield { offset: pos, length: 2 } : new Uint8Array(0);
  return memberFollows(b, pos, Math.max(0, size - pos), true)!;
}

/** A frame of a member whose head was read. */
export type WalkedFrame = FrameEntry & { head: FrameHead };

/** What StreamParser.next found at its offset; length: the bytes it takes (0 for done). */
export type Part =
  | { kind: 'header'; offset: number; length: number; header: Header; headerBytes: Uint8Array }
  /** A frame record, its body present (not read). */
  | { kind: 'frame'; offset: number; length: number; frame: WalkedFrame }
  /** A multi-frame member's end record, checked against the frames before it. */
  | { kind: 'end'; offset: number; length: number; end: EndRecord }
  /** The input ends after a whole member. */
  | { kind: 'done'; offset: number; length: 0 };

/**
 * The parse of a stream from a member's start, one part at a time: a header, its frame records,
 * (multi-frame) its end record, then another member or the end of the input. Checks every
 * rule on the parts: the format.ts parsers, each record within the input, only a member's last
 * frame short, the end record's CRC, total and index, and what may follow a member
 * (memberFollows). It does no I/O: next() asks for the bytes at its offset as Reads, and only
 * counts a frame's body, so the same parse serves a buffer, reads at offsets and pushed chunks.
 */
export class StreamParser {
  private state: 'header' | 'frames' | 'between' = 'header';
  private header: Header | null = null;
  private headerBytes = new Uint8Array(0);
  /** The record size of each frame of the member so far, and the raw bytes they hold. */
  private recordSizes: number[] = [];
  private total = 0;
  private last: WalkedFrame | null = null;

  /** offset: stream offset of the next part (a member's header at first). */
  constructor(public offset = 0) {}

  /** Whether the member parsed last is complete (its last frame or its end record read). */
  get betweenMembers(): boolean {
    return this.state === 'between';
  }

  /**
   * The part at offset; offset moves past it. available: bytes present from offset on; ended:
   * the input ends after them. null when the part is not all present yet, never when ended: then
   * a part cut short throws (truncated), as any malformed part does.
   */
  *next(available: number, ended: boolean): Reads<Part | null> {
    const at = this.offset;
    if (this.state === 'between') {
      const more = memberFollows(yield { offset: at, length: 2 }, at, available, ended);
      if (more === null) return null;
      if (!more) return { kind: 'done', offset: at, length: 0 };
      this.state = 'header';
    }
    if (this.state === 'header') {
      const hb = yield { offset: at, length: MAX_HEADER_LENGTH };
      const h = parseHeader(hb, at);
      if (!h) return this.cut(ended, `the header at byte ${at}`);
      const [header, length] = h;
      this.header = header;
      this.headerBytes = hb.slice(0, length);
      this.recordSizes = [];
      this.total = 0;
      this.last = null;
      this.state = 'frames';
      return this.took({ kind: 'header', offset: at, length, header, headerBytes: this.headerBytes });
    }
    const header = this.header!;
    const index = this.recordSizes.length;
    const head = parseFrameHead(yield { offset: at, length: MAX_FRAME_HEAD_LENGTH }, 0, header, index, at);
    if (!head) return this.cut(ended, `frame ${index} at byte ${at}`);
    if (header.multiFrame && head.rawLength === 0) {
      const window = maxEndLength(index);
      const eb = yield { offset: at, length: window };
      const end = parseEnd(eb, 0, this.headerBytes, crc32, at);
      if (!end) {
        if (eb.length >= window) throw endTooLong(at, index);
        return this.cut(ended, `the end record at byte ${at}`);
      }
      checkEnd(end, this.recordSizes, this.total, at);
      this.state = 'between';
      return this.took({ kind: 'end', offset: at, length: end.length, end });
    }
    const recordLength = head.headLength + frameBodyLength(head);
    if (recordLength > available) return this.cut(ended, `frame ${index} at byte ${at}`);
    if (this.last) checkFollowsFull(header, this.last);
    const frame: WalkedFrame = { index, offset: at, recordLength, rawLength: head.rawLength, rawOffset: this.total, head };
    this.recordSizes.push(recordLength);
    this.total += head.rawLength;
    this.last = frame;
    if (!header.multiFrame) this.state = 'between';
    return this.took({ kind: 'frame', offset: at, length: recordLength, frame });
  }

  /** A part not all present: wait for more (null), or, when the input has ended, truncated. */
  private cut(ended: boolean, where: string): null {
    if (ended) throw truncated(where);
    return null;
  }

  private took(part: Part): Part {
    this.offset += part.length;
    return part;
  }
}

/** The next part of an input of `size` bytes, all present (StreamParser.next). */
function* partOf(parser: StreamParser, size: number): Reads<Part> {
  return (yield* parser.next(size - parser.offset, true))!;
}

/**
 * The member at stream offset `offset` of an input of `size` bytes, validated by StreamParser:
 * header, frame heads, end record. Frame bodies are not read.
 *
 * With fromIndex, a multi-frame member that is the input's last is located from its end
 * record instead of by walking its frame heads: its frames then have head null, and their
 * heads are checked when readFrame reads them. A member followed by another is walked either
 * way (its end is found only by walking).
 */
export function* walkMember(offset: number, size: number, fromIndex: boolean): Reads<Member> {
  const parser = new StreamParser(offset);
  const h = yield* partOf(parser, size);
  if (h.kind !== 'header') throw new Error('a member starts with its header');
  const { header, headerBytes } = h;
  if (header.multiFrame && fromIndex) {
    const m = yield* lastMember(offset, header, headerBytes, size);
    if (m) return m;
  }
  const frames: FrameEntry[] = [];
  let end: EndRecord | null = null;
  let endOffset = -1;
  let rawLength = 0;
  while (!parser.betweenMembers) {
    const part = yield* partOf(parser, size);
    if (part.kind === 'frame') {
      frames.push(part.frame);
      rawLength += part.frame.rawLength;
    } else if (part.kind === 'end') {
      end = part.end;
      endOffset = part.offset;
    }
  }
  return { offset, length: parser.offset - offset, header, headerBytes, frames, end, endOffset, rawLength };
}

/**
 * The multi-frame member at `offset` if it is the last in the input: the end record that
 * finishes the input passes its CRC over this member's header, and header, indexed records and
 * end record fill the bytes from `offset` exactly. null otherwise (another member follows, or
 * the record is damaged): the caller then walks the frames, which names any damage.
 *
 * Reads: the trailer (8 bytes), the record's prefix (at most 17), then the record. When the
 * input ends with a single-frame member the trailer is frame bytes and gives a garbage record
 * start: the prefix must agree with the length it implies (marker, count, total) before the
 * record is read, so garbage costs no large read.
 */
function* lastMember(offset: number, header: Header, headerBytes: Uint8Array, size: number): Reads<Member | null> {
  const first = offset + headerBytes.length;
  if (size - first < MIN_END_LENGTH) return null;
  const trailer = yield { offset: size - END_TRAILER_LENGTH, length: END_TRAILER_LENGTH };
  const at = endRecordStart(trailer, size);
  const length = size - at;
  if (at < first || length < MIN_END_LENGTH) return null;
  const pb = yield { offset: at, length: Math.min(length, MAX_END_PREFIX_LENGTH) };
  const prefix = orNull(() => parseEndPrefix(pb, 0, at));
  if (!prefix) return null;
  // The record is the prefix, count entries of 1..8 bytes, end length and CRC.
  const entries = length - prefix.length - END_TRAILER_LENGTH;
  if (entries < prefix.count || entries > 8 * prefix.count) return null;
  if (!fillsFrames(prefix.totalLength, prefix.count, header.frameSize)) return null;
  if (prefix.count * MIN_RECORD_LENGTH > at - first) return null;
  const eb = length <= pb.length ? pb : yield { offset: at, length };
  const end = orNull(() => parseEnd(eb, 0, headerBytes, crc32, at));
  if (!end || end.length !== length) return null;
  let indexed = 0;
  for (const s of end.recordSizes) indexed += s;
  if (first + indexed !== at) return null;
  const frames = indexedFrames(header, end, first, at);
  return { offset, length: size - offset, header, headerBytes, frames, end, endOffset: at, rawLength: end.totalLength };
}

/** f(), or null where it finds the bytes malformed (KolmoFormatError). */
function orNull<T>(f: () => T | null): T | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof KolmoFormatError) return null;
    throw e;
  }
}

/** Whether `total` raw bytes fill `count` frames of `size` as a multi-frame member's must: all full but the last, which holds 1..size. */
function fillsFrames(total: number, count: number, size: number): boolean {
  return count === 0 ? total === 0 : total > (count - 1) * size && total <= count * size;
}

/** The shortest frame record in a multi-frame member: a 6-byte head and 1 byte of body. */
const MIN_RECORD_LENGTH = 7;

/**
 * The frames an end record (at `at`) indexes, their records from `first` on. Checked against
 * the header: every frame but the last holds frameSize raw bytes and the last 1..frameSize, so
 * the total fits the count; a record holds its head (6..20 bytes) and a body of 1..raw bytes.
 */
function indexedFrames(header: Header, end: EndRecord, first: number, at: number): FrameEntry[] {
  const n = end.recordSizes.length;
  const size = header.frameSize;
  const total = end.totalLength;
  if (!fillsFrames(total, n, size)) {
    throw new KolmoFormatError(`end record at byte ${at}: total length ${total} does not fill ${n} frames of ${size} bytes`);
  }
  const frames: FrameEntry[] = [];
  let pos = first;
  for (let i = 0; i < n; i++) {
    const rawLength = i < n - 1 ? size : total - (n - 1) * size;
    const recordLength = end.recordSizes[i];
    if (recordLength < MIN_RECORD_LENGTH || recordLength > MAX_FRAME_HEAD_LENGTH + rawLength) {
      throw new KolmoFormatError(`end record at byte ${at}: index entry ${i} (${recordLength} bytes) cannot hold a frame of ${rawLength} bytes`);
    }
    frames.push({ index: i, offset: pos, recordLength, rawLength, rawOffset: i * size, head: null });
    pos += recordLength;
  }
  return frames;
}

/**
 * Reads one frame record of a member and checks its head against what the member's walk or
 * index says of it (record length, raw length). The body is the payload, or the raw bytes of a
 * stored frame.
 */
export function* readFrame(member: Member, f: FrameEntry): Reads<{ head: FrameHead; body: Uint8Array }> {
  const rec = yield { offset: f.offset, length: f.recordLength };
  if (rec.length < f.recordLength) throw truncated(`frame ${f.index} at byte ${f.offset}`);
  const head = parseFrameHead(rec, 0, member.header, f.index, f.offset);
  const fits = head !== null && head.headLength + frameBodyLength(head) === f.recordLength;
  if (!fits || head.rawLength !== f.rawLength) {
    // A walked frame's head was read before: only an input that changed meanwhile differs.
    if (f.head) throw new KolmoFormatError(`frame ${f.index} at byte ${f.offset}: the record changed while it was read`);
    if (!fits) throw indexMismatch(member.endOffset, f.index);
    throw new KolmoFormatError(`frame ${f.index} at byte ${f.offset}: raw length ${head.rawLength}, but the end record at byte ${member.endOffset} makes it ${f.rawLength}`);
  }
  return { head, body: rec.subarray(head.headLength) };
}
