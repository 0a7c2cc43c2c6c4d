import fs from 'node:fs';
import path from 'node:path';
import tty from 'node:tty';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  createCompressNodeStream,
  createDecompressNodeStream,
  BEST_LEVEL,
  DEFAULT_LEVEL,
  LEVEL_NAMES,
  info,
  KolmoError,
  bundleIdHex,
  levelIdsHex,
  measure,
  modelName,
  sampleBytes,
  type Progress,
} from './index.js';
import { surprisalHtml } from './surprisal-html.js';
import { OptionRangeError } from './options.js';
import { bytesSource, type ByteSource } from './byte-source.js';
import { decompressRangeFrom } from './range.js';
import { benchOne, runBench } from './bench.js';

// The `kolmo` command line: gzip-like compress / decompress, info, bench.

const USAGE = `usage:
  kolmo [-d | -t] [-l LEVEL] [-c | -o OUT] [-f] [-k] [FILE...]    (as gzip, xz and zstd: tar -I kolmo)
  kolmo compress   [-l LEVEL] [--threads N] [--frame-size BYTES] [-o OUT | -c] [-f] [FILE...]
  kolmo decompress [--threads N] [--range START:END] [-o OUT | -c] [-f] [-t] [FILE...]
  kolmo info FILE
  kolmo bench [-l LEVEL] [--threads N] [--svg OUTDIR] [DIR]
  kolmo sample [--prompt TEXT | --prompt-file F] [--max-bytes N] [--temperature T] [--top-k K] [--top-p P] [--min-p M] [--seed S] [-l LEVEL]
  kolmo measure [-l LEVEL] [--html OUT.html] [-f] FILE
options:
  -l, --level N     1 = ${LEVEL_NAMES[1]}
                    2 = ${LEVEL_NAMES[2]}
                    3 = ${LEVEL_NAMES[3]}
                    (compress: default ${DEFAULT_LEVEL}; sample and measure: default ${BEST_LEVEL})
  -o, --output OUT  write to OUT            -c, --stdout   write to standard output
  -f, --force       overwrite OUT           --threads N    worker threads (default: all cores)
  -d, --decompress  decompress              -t, --test     decompress and check, write nothing
  -k, --keep        keep FILE (kolmo never deletes its input; accepted for gzip's sake)
  -v, --verbose     show stack traces       -h, --help
  --range START:END decompress only bytes START..END-1 of the content (START or END may be
                    left out: from the start, to the end); writes standard output unless -o
  --svg OUTDIR      bench: also write two charts there, bench-speed.svg (bits per byte
                    against speed) and bench-kinds.svg (bits per byte by file kind)
Without a command, kolmo compresses (with -d decompresses) like gzip: FILE to FILE.kz, or
standard input to standard output. A FILE named like a command needs a path: ./info.
compress / decompress without FILE (or with -) read standard input and write standard output.
compress writes FILE.kz and keeps FILE; decompress strips .kz. A FILE of several .kz streams
concatenated (cat a.kz b.kz) decompresses to their contents, concatenated.`;

class UsageError extends Error {}

/** The command words; any other first argument is a FILE (gzip's form). */
const COMMANDS = ['compress', 'c', 'decompress', 'd', 'info', 'bench', 'sample', 'measure'];

interface Args {
  command: string;
  /** The current input (null: standard input); files lists every FILE argument. */
  file: string | null;
  files: (string | null)[];
  decompress: boolean;
  test: boolean;
  output: string | null;
  stdout: boolean;
  force: boolean;
  level?: number;
  threads?: number;
  frameSize?: number;
  verbose: boolean;
  prompt?: string;
  promptFile?: string;
  maxBytes?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  minP?: number;
  seed?: bigint;
  html?: string;
  svg?: string;
  range?: { start: number; end?: number };
}

/** Flags of one letter that take no value may be bundled, as gzip allows: -dc = -d -c. */
function unbundle(argv: string[]): string[] {
  return argv.flatMap((x) => (/^-[cdfhktvz]{2,}$/.test(x) ? [...x.slice(1)].map((f) => `-${f}`) : [x]));
}

function parseArgs(rawArgv: string[]): Args {
  const argv = unbundle(rawArgv);
  const a: Args = { command: '', file: null, files: [], decompress: false, test: false, output: null, stdout: false, force: false, verbose: false };
  const positional: string[] = [];
  const num = (name: string, v: string | undefined): number => {
    if (v === undefined || !/^\d+$/.test(v)) throw new UsageError(`${name} needs a number`);
    return Number(v);
  };
  const real = (name: string, v: string | undefined): number => {
    if (v === undefined || !/^(\d+\.?\d*|\.\d+)$/.test(v)) throw new UsageError(`${name} needs a number`);
    return Number(v);
  };
  const seed = (name: string, v: string | undefined): bigint => {
    if (v === undefined || !/^\d+$/.test(v)) throw new UsageError(`${name} needs a whole number`);
    const s = BigInt(v); // not through Number: seeds above 2^53 keep every digit
    if (s >= 1n << 64n) throw new UsageError(`${name} must be below 2^64`);
    return s;
  };
  const range = (name: string, v: string | undefined): { start: number; end?: number } => {
    const m = v === undefined ? null : /^(\d*):(\d*)$/.exec(v);
    if (!m) throw new UsageError(`${name} needs START:END (byte offsets of the decompressed content)`);
    const start = m[1] ? Number(m[1]) : 0;
    const end = m[2] ? Number(m[2]) : undefined;
    if (!Number.isSafeInteger(start) || (end !== undefined && !Number.isSafeInteger(end))) throw new UsageError(`${name}: offsets must be below 2^53`);
    return { start, end };
  };
  const need = (name: string, v: string | undefined): string => {
    if (v === undefined) throw new UsageError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    switch (x) {
      case '-l': case '--level': a.level = num(x, argv[++i]); break;
      case '--threads': a.threads = num(x, argv[++i]); break;
      case '--frame-size': a.frameSize = num(x, argv[++i]); break;
      case '-o': case '--output':
        a.output = argv[++i] ?? null;
        if (a.output === null) throw new UsageError(`${x} needs a file name`);
        break;
      case '-c': case '--stdout': a.stdout = true; break;
      case '-d': case '--decompress': case '--uncompress': a.decompress = true; break;
      case '-t': case '--test': a.test = true; break;
      case '-k': case '--keep': case '-z': case '--compress': break; // the defaults already
      case '-f': case '--force': a.force = true; break;
      case '-v': case '--verbose': a.verbose = true; break;
      case '-h': case '--help': a.command = 'help'; break;
      case '--prompt': a.prompt = need(x, argv[++i]); break;
      case '--prompt-file': a.promptFile = need(x, argv[++i]); break;
      case '--max-bytes': a.maxBytes = num(x, argv[++i]); break;
      case '--temperature': a.temperature = real(x, argv[++i]); break;
      case '--top-k': a.topK = num(x, argv[++i]); break;
      case '--top-p': a.topP = real(x, argv[++i]); break;
      case '--min-p': a.minP = real(x, argv[++i]); break;
      case '--seed': a.seed = seed(x, argv[++i]); break;
      case '--html': a.html = need(x, argv[++i]); break;
      case '--svg': a.svg = need(x, argv[++i]); break;
      case '--range': a.range = range(x, argv[++i]); break;
      default:
        if (/^-l\d+$/.test(x)) a.level = Number(x.slice(2));
        else if (x.startsWith('-') && x !== '-') throw new UsageError(`unknown option ${x}`);
        else positional.push(x);
    }
  }
  if (a.command !== 'help') {
    // A command word, or gzip's form: no command, FILE arguments, -d for decompression.
    if (COMMANDS.includes(positional[0] ?? '')) a.command = positional.shift()!;
    else a.command = a.decompress || a.test ? 'decompress' : 'compress';
    if (a.command === 'c') a.command = 'compress';
    if (a.command === 'd') a.command = 'decompress';
    if (a.decompress && a.command !== 'decompress') throw new UsageError(`-d is not an option of ${a.command}`);
    if (a.test && a.command !== 'decompress') throw new UsageError(`-t is not an option of ${a.command}`);
  }
  const coding = a.command === 'compress' || a.command === 'decompress';
  if (!coding && positional.length > 1) throw new UsageError(`unexpected argument ${positional[1]}`);
  a.files = positional.map((f) => (f === '-' ? null : f));
  a.file = a.files[0] ?? null;
  if (a.output === '-') { // -o - is standard output, as for the input
    a.output = null;
    a.stdout = true;
  }
  if (a.output && a.stdout) throw new UsageError('-o and -c cannot be used together');
  if (a.output && a.files.length > 1) throw new UsageError('-o names one output: give one FILE, or use -c');
  if (a.test && (a.output || a.range)) throw new UsageError('-t writes nothing: no -o or --range');
  if (a.range && a.command !== 'decompress') throw new UsageError('--range is an option of decompress');
  if (a.svg !== undefined && a.command !== 'bench') throw new UsageError('--svg is an option of bench');
  if (a.range && a.files.length > 1) throw new UsageError('--range takes one FILE');
  return a;
}

/** A progress bar on stderr, redrawn at most 10 times a second. */
function progressBar(total: number, label: string): { update(p: Progress): void; done(): void } {
  let last = 0;
  const draw = (done: number) => {
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const width = 30;
    const filled = Math.round(frac * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%`);
  };
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(p.bytesIn);
    },
    done() {
      draw(total);
      process.stderr.write('\n');
    },
  };
}

async function runCoding(a: Args, mode: 'compress' | 'decompress'): Promise<void> {
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

  if (output === null || intoDevice) {
    await produce(output === null ? process.stdout : fs.createWriteStream('', { fd: deviceFd }));
    bar?.done();
    return;
  }
  // Write next to the target, then rename: a failure never leaves a partial file.
  const tmp = tempPathFor(output);
  // Interrupted (Ctrl-C, kill): remove the temporary file too, then exit as the signal would.
  const onSignal = (signal: NodeJS.Signals) => {
    fs.rmSync(tmp, { force: true });
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.once(s, onSignal);
  try {
    await produce(fs.createWriteStream(tmp, { flags: 'wx' }));
    publish(tmp, output, a.force);
    bar?.done();
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    // Report a failure to write under the output's name, not the temporary file's.
    const err = e as { code?: string; path?: string };
    if (err.path === tmp) throw cannotWrite(output, err.code);
    throw e;
  } finally {
    for (const s of signals) process.removeListener(s, onSignal);
  }
}

/** -t: decodes FILE (or standard input) through every check and writes nothing. */
async function runTest(file: string | null): Promise<void> {
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

/** A ByteSource over an open file of `size` bytes: each read is an fs.readSync at its offset. */
function fileSource(fd: number, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const buf = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      let n = 0;
      while (n < buf.length) {
        const got = fs.readSync(fd, buf, n, buf.length - n, offset + n);
        if (got === 0) break; // the file shrank: the parser reports truncation
        n += got;
      }
      return buf.subarray(0, n);
    },
  };
}

/**
 * Checks an output path before any work: a directory is refused, and so is an existing file
 * without -f. Returns true for an existing device or FIFO (-o /dev/null), which is written
 * into directly: renaming a temporary file over it would put a regular file in its place.
 */
function checkOutput(file: string, force: boolean): boolean {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (!st) return false;
  if (st.isDirectory()) throw new KolmoCliError(file, 'is a directory');
  if (st.isCharacterDevice() || st.isFIFO()) return true;
  if (!force) throw new KolmoCliError(file, 'already exists (use -f to overwrite)');
  return false;
}

/** A temporary file next to target, hidden, unique to this process. */
function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
}

/**
 * Moves the finished temporary file to target. Without -f a file that appeared at target
 * meanwhile is kept: link fails on it (EEXIST). A file system without hard links gets the rename.
 */
function publish(tmp: string, target: string, force: boolean): void {
  if (!force) {
    try {
      fs.linkSync(tmp, target);
      fs.rmSync(tmp);
      return;
    } catch (e) {
      if ((e as { code?: string }).code === 'EEXIST') throw e;
    }
  }
  fs.renameSync(tmp, target);
}

function cannotWrite(file: string, code: string | undefined): KolmoCliError {
  return new KolmoCliError(file, `cannot write: ${code === 'ENOENT' ? 'no such directory' : systemErrorText(code)}`);
}

/** A system error code as words ("permission denied"), as other command-line tools print it. */
function systemErrorText(code: string | undefined): string {
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
    ENOSPC: 'no space left on device',
    EROFS: 'read-only file system',
    EEXIST: 'already exists',
    EMFILE: 'too many open files',
    EFBIG: 'file too large',
    EIO: 'input/output error',
  };
  return (code && words[code]) ?? String(code).toLowerCase();
}

/** The command-line flag for an option name in an API error message (topP → --top-p). */
function cliNames(message: string): string {
  const flags: Record<string, string> = {
    level: '-l', threads: '--threads', frameSize: '--frame-size', maxBytes: '--max-bytes', temperature: '--temperature',
    topK: '--top-k', topP: '--top-p', minP: '--min-p', seed: '--seed', 'prompt + maxBytes': 'the prompt + --max-bytes', range: '--range',
  };
  return message.replace(/^(prompt \+ maxBytes|level|threads|frameSize|maxBytes|temperature|topK|topP|minP|seed|range)\b/, (m) => flags[m]);
}

class KolmoCliError extends Error {
  constructor(readonly subject: string, message: string) {
    super(message);
  }
}

function printInfo(file: string): void {
  const i = info(fs.readFileSync(file));
  const layout = (m: { multiFrame: boolean; frames: unknown[]; frameSize: number | null }) =>
    m.multiFrame ? `${m.frames.length} frames of ${m.frameSize} bytes` : 'single frame';
  const model = (level: number, id: string) =>
    `${id}${levelIdsHex[level] === id ? ' (this build)' : ` (this build has ${levelIdsHex[level] ?? 'none'}: it cannot decode this stream)`}`;
  const several = i.members.length > 1;
  const lines = [
    `file:          ${file}`,
    `format:        version ${i.formatVersion}, ${several ? `${i.members.length} members (concatenated streams), ${i.frames.length} frames` : layout(i)}`,
  ];
  if (!several) {
    lines.push(`level:         ${i.level}: ${LEVEL_NAMES[i.level] ?? 'unknown'}`, `model id:      ${model(i.level, i.modelId)}`);
  }
  lines.push(
    `raw bytes:     ${i.rawLength}`,
    `stored bytes:  ${i.compressedLength}`,
    `bits per byte: ${Number.isNaN(i.bitsPerByte) ? '-' : i.bitsPerByte.toFixed(4)}`,
  );
  if (i.frames.some((f) => f.stored)) lines.push(`stored raw:    ${i.frames.filter((f) => f.stored).length} frame(s)`);
  if (several) {
    i.members.forEach((m, k) => {
      lines.push(
        `member ${k}:${' '.repeat(Math.max(1, 7 - String(k).length))}at byte ${m.offset}, level ${m.level}, model id ${model(m.level, m.modelId)}, ` +
          `${layout(m)}, ${m.rawLength} raw bytes in ${m.compressedLength}`,
      );
    });
  }
  process.stdout.write(lines.join('\n') + '\n');
}

async function runSample(a: Args): Promise<void> {
  const prompt = a.promptFile !== undefined ? new Uint8Array(fs.readFileSync(a.promptFile)) : a.prompt;
  for await (const chunk of sampleBytes({
    prompt,
    maxBytes: a.maxBytes,
    temperature: a.temperature,
    topK: a.topK,
    topP: a.topP,
    minP: a.minP,
    seed: a.seed,
    level: a.level,
  })) {
    // Raw bytes straight to stdout as they come (a terminal reassembles UTF-8).
    if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
  }
  if (process.stdout.isTTY) process.stdout.write('\n');
}

function runMeasure(a: Args): void {
  const file = a.file!;
  const html = a.html;
  // Refuse an unusable page name before the (possibly long) measurement.
  const intoDevice = html !== undefined && checkOutput(html, a.force); // --html /dev/stdout
  const bytes = new Uint8Array(fs.readFileSync(file));
  const level = a.level ?? BEST_LEVEL;
  const m = measure(bytes, { level });
  process.stdout.write(`${file}: ${bytes.length} bytes, ${Number.isNaN(m.bitsPerByte) ? '-' : m.bitsPerByte.toFixed(4)} bits per byte (level ${level})\n`);
  if (html !== undefined && intoDevice) {
    fs.writeFileSync(html, surprisalHtml(path.basename(file), bytes, m.bits, level));
  } else if (html !== undefined) {
    const tmp = tempPathFor(html);
    try {
      fs.writeFileSync(tmp, surprisalHtml(path.basename(file), bytes, m.bits, level), { flag: 'wx' });
      publish(tmp, html, a.force);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw cannotWrite(html, (e as { code?: string }).code);
    }
    process.stdout.write(`wrote ${html}\n`);
  }
}

export async function main(argv: string[]): Promise<number> {
  let a: Args | null = null;
  try {
    if (argv[0] === '__bench-one') {
      await benchOne(argv.slice(1));
      return 0;
    }
    a = parseArgs(argv);
    switch (a.command) {
      case 'compress':
      case 'decompress': {
        // Every FILE in turn (standard input when there is none); the first failure stops.
        const mode = a.command;
        for (const file of a.files.length > 0 ? a.files : [null]) {
          a.file = file;
          if (a.test) await runTest(file);
          else await runCoding(a, mode);
        }
        return 0;
      }
      case 'info':
        if (!a.file) throw new UsageError('info needs a FILE');
        printInfo(a.file);
        return 0;
      case 'bench':
        await runBench(a.file ?? undefined, { threads: a.threads, levels: a.level ? [a.level] : undefined, svgDir: a.svg });
        return 0;

      case 'sample':
        if (a.file) throw new UsageError('sample takes no FILE (use --prompt-file)');
        await runSample(a);
        return 0;
      case 'measure':
        if (!a.file) throw new UsageError('measure needs a FILE');
        runMeasure(a);
        return 0;
      case 'help':
        process.stdout.write(USAGE + `\nmodel bundle: ${modelName ?? 'none'}${bundleIdHex ? ` (${bundleIdHex})` : ''}; model ids by level: ${Object.entries(levelIdsHex).map(([l, id]) => `${l} ${id}`).join(', ')}\n`);
        return 0;
      default:
        throw new UsageError(a.command ? `unknown command ${a.command}` : 'missing command');
    }
  } catch (e) {
    const err = e as Error & { code?: string; path?: string };
    if (err instanceof UsageError) {
      process.stderr.write(`kolmo: ${err.message} (kolmo --help for usage)\n`);
      return 1;
    }
    if (err.code === 'EPIPE') return 1;
    if (err instanceof OptionRangeError) {
      // An option the library refused (-l 3, --top-p 2): about the command line, not a file.
      process.stderr.write(`kolmo: ${cliNames(err.message)}\n`);
      if (a?.verbose && err.stack) process.stderr.write(err.stack + '\n');
      return 1;
    }
    const subject = err instanceof KolmoCliError ? err.subject : err.path ?? a?.file ?? 'stdin';
    let msg = err.message;
    if (err.code && /^E[A-Z]+$/.test(err.code) && !(err instanceof KolmoError)) msg = systemErrorText(err.code);
    else if (!(err instanceof KolmoError) && !(err instanceof KolmoCliError)) msg = `${err.name}: ${msg}`;
    process.stderr.write(`kolmo: ${subject}: ${msg}\n`);
    if (a?.verbose && err.stack) process.stderr.write(err.stack + '\n');
    return 1;
  }
}
