import fs from 'node:fs';
import path from 'node:path';
import tty from 'node:tty';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createCompressNodeStream, createDecompressNodeStream, type Progress } from '../../index.js';
import { bytesSource, type ByteSource } from '../../byte-source.js';
import { decompressRangeFrom } from '../../range.js';
import type { Args } from '../args.js';
import { KolmoCliError } from '../errors.js';
import { fileSource } from '../file-source.js';
import { progressBar } from '../progress.js';
import { checkOutput, writeStreamed } from '../publish.js';

// compress and decompress (gzip's form or the command words): one FILE or standard input to
// FILE.kz, FILE, standard output or -o OUT; -t checks without writing; --range decodes a part.

export async function runCoding(a: Args, mode: 'compress' | 'decompress'): Promise<void> {
  const input = a.file;
  let output: string | null;
  if (a.stdout || (input === null && !a.output) || (a.range && !a.output)) output = null;
  else if (a.output) output = a.output;
  else if (mode === 'compress') output = `${input}.kz`;
  else if (input!.endsWith('.kz') && path.basename(input!) !== '.kz') output = input!.slice(0, -3);
  else if (input!.endsWith('.kz')) throw new KolmoCliError(input!, 'no name left after removing .kz; use -o to name the output');
  else throw new KolmoCliError(input!, 'unknown suffix (expected .kz); use -o to name the output');

  let size: number | undefined; // known for a regular file (equal frames, progress); not for a pipe
  if (input !== null) {
    const st = fs.statSync(input, { throwIfNoEntry: false });
    if (!st) throw new KolmoCliError(input, 'no such file');
    // A pipe or device (`kolmo compress -c <(cmd)`) is read as a stream, like stdin; its
    // output must be named (no FILE.kz beside /dev/fd/63 or in /dev).
    if (!st.isFile() && !st.isFIFO() && !st.isCharacterDevice()) throw new KolmoCliError(input, 'not a regular file');
    if (!st.isFile() && !a.output && !a.stdout) throw new KolmoCliError(input, 'is a pipe or device: use -o OUT or -c');
    if (st.isFile()) size = st.size;
  }
  const intoDevice = output !== null && checkOutput(output, a.force);
  if (output === null && mode === 'compress' && process.stdout.isTTY) {
    throw new KolmoCliError('stdout', 'refusing to write compressed data to a terminal (use -o or redirect)');
  }
  let deviceFd: number | undefined;
  if (intoDevice) {
    deviceFd = fs.openSync(output!, 'w');
    if (mode === 'compress' && tty.isatty(deviceFd)) {
      fs.closeSync(deviceFd);
      throw new KolmoCliError(output!, 'refusing to write compressed data to a terminal');
    }
  }

  // A range is decoded whole before anything is written, so a failure leaves no output file.
  const ranged = a.range ? await readRange(input, size, a.range, a.threads) : null;
  const bar = !ranged && process.stderr.isTTY && size !== undefined && size > 4 * 1024 * 1024 ? progressBar(size, mode === 'compress' ? 'compressing' : 'decompressing') : null;
  const onProgress = bar ? (p: Progress) => bar.update(p) : undefined;
  // Made before any output is opened: a refused option throws here, leaving nothing behind.
  const coder = ranged
    ? null
    : mode === 'compress'
      ? createCompressNodeStream({ level: a.level, threads: a.threads, frameSize: a.frameSize, inputSize: size, onProgress })
      : createDecompressNodeStream({ threads: a.threads, onProgress });
  /** Pipes the result into dest: the coded input, or the decoded range. */
  // Standard output stays open after each FILE (-c with several FILEs writes them one after another).
  const produce = (dest: NodeJS.WritableStream) => {
    const opts = { end: dest !== process.stdout };
    return coder
      ? pipeline(input !== null ? fs.createReadStream(input) : process.stdin, coder, dest, opts)
      : pipeline(Readable.from([ranged!]), dest, opts);
  };

  if (output === null || intoDevice) await produce(output === null ? process.stdout : fs.createWriteStream('', { fd: deviceFd }));
  else await writeStreamed(output, a.force, produce); // never a partial file under output's name
  bar?.done();
}

/** -t: decodes FILE (or standard input) through every check and writes nothing. */
export async function runTest(file: string | null): Promise<void> {
  if (file !== null) {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st) throw new KolmoCliError(file, 'no such file');
    if (st.isDirectory()) throw new KolmoCliError(file, 'is a directory');
  }
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  await pipeline(file !== null ? fs.createReadStream(file) : process.stdin, createDecompressNodeStream({}), sink);
}

/**
 * Bytes [range.start, range.end) of the content of a .kz file (or of standard input when file
 * is null). A regular file is read at offsets, only the parts the range needs (range.ts); a
 * pipe or standard input is read whole first.
 */
async function readRange(file: string | null, size: number | undefined, range: { start: number; end?: number }, threads?: number): Promise<Buffer> {
  const fd = file !== null && size !== undefined ? fs.openSync(file, 'r') : null;
  try {
    let source: ByteSource;
    if (fd !== null) source = fileSource(fd, size!);
    else {
      const chunks: Buffer[] = [];
      for await (const c of file !== null ? fs.createReadStream(file) : process.stdin) chunks.push(c as Buffer);
      source = bytesSource(new Uint8Array(Buffer.concat(chunks)));
    }
    const bytes = await decompressRangeFrom(source, { ...range, threads });
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
