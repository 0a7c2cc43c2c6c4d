import { blobSource, bytesSource, parseAsync, type ByteSource } from './byte-source.js';
import { checkModel, decodeJob } from './container.js';
import { nextMember, readFrame, walkMember } from './member.js';
import { OptionRangeError, resolveThreads, toBytes, type DecompressOptions } from './options.js';
import type { FrameJob } from './protocol.js';
import { runJobs, throwIfAborted } from './runner.js';

// Byte ranges of the decompressed content: [start, end) decoded from the frames that overlap
// it, and read from the input are only the members' headers, their indexes and those frames.
//
// Members are taken from the front: each one's header, then its frames (from the end record's
// index for a multi-frame member that ends the input, found from the input's end; by walking
// the frame heads of one that another member follows; the single frame of a single-frame
// member). The walk stops at the first member whose content reaches `end`, so what lies
// beyond it is not read: damage there (or trailing garbage) goes unnoticed, as do damaged
// frames that are not decoded. What is read is checked as decompress() checks it, with the
// same error types. The model id is checked for the members whose frames are decoded.

export interface RangeOptions extends DecompressOptions {
  /** First byte of the decompressed content to return: 0 <= start <= the content's length. */
  start: number;
  /** End of the range, exclusive (start <= end); beyond the content it is cut to the content's length. Default: the content's length. */
  end?: number;
}

/**
 * Returns bytes [start, end) of the decompressed content of a stream (members concatenated, as
 * decompress() gives it), decoding only the frames that overlap the range. A Blob (or File) is
 * read with blob.slice(), so only the bytes the range needs are loaded. A start beyond the
 * content's length is a RangeError.
 */
export async function decompressRange(data: Uint8Array | ArrayBuffer | Blob, opts: RangeOptions): Promise<Uint8Array> {
  const isBlob = typeof Blob === 'function' && data instanceof Blob;
  return decompressRangeFrom(isBlob ? blobSource(data) : bytesSource(toBytes(data as Uint8Array | ArrayBuffer)), opts);
}

/** decompressRange() over any ByteSource (the CLI's file reader). */
export async function decompressRangeFrom(source: ByteSource, opts: RangeOptions): Promise<Uint8Array> {
  const [start, end] = resolveRange(opts.start, opts.end);
  const jobs: FrameJob[] = [];
  const at: number[] = []; // content offset of each job's first raw byte
  let compressedIn = 0;
  let content = 0; // content offset of the member at pos
  let pos = 0;
  for (;;) {
    throwIfAborted(opts.signal);
    const m = await parseAsync(walkMember(pos, source.size, true), source);
    const needed = m.frames.filter((f) => start < end && content + f.rawOffset < end && content + f.rawOffset + f.rawLength > start);
    if (needed.length > 0) checkModel(m.header, m.offset);
    for (const f of needed) {
      throwIfAborted(opts.signal);
      const { head, body } = await parseAsync(readFrame(m, f), source);
      jobs.push(decodeJob(m.header, f, head, body));
      at.push(content + f.rawOffset);
      compressedIn += f.recordLength;
    }
    content += m.rawLength;
    pos += m.length;
    if (content >= end) break;
    if (!(await parseAsync(nextMember(pos, source.size), source))) break;
  }
  if (start > content) throw new OptionRangeError(`range start ${start} is beyond the end of the content (${content} bytes)`);
  const stop = Math.min(end, content);
  const parts = await runJobs(jobs, resolveThreads(opts.threads, jobs.length), compressedIn, opts);
  const out = new Uint8Array(stop - start);
  parts.forEach((p, k) => {
    const a = Math.max(start, at[k]);
    const b = Math.min(stop, at[k] + p.length);
    out.set(p.subarray(a - at[k], b - at[k]), a - start);
  });
  return out;
}

/** [start, end] of a range option, end Infinity when not given. */
function resolveRange(start: number, end: number | undefined): [number, number] {
  if (!Number.isSafeInteger(start) || start < 0) throw new OptionRangeError(`range start must be a non-negative integer, got ${String(start)}`);
  if (end === undefined) return [start, Infinity];
  if (!Number.isSafeInteger(end) || end < start) throw new OptionRangeError(`range end must be an integer >= start (${start}), got ${String(end)}`);
  return [start, end];
}
