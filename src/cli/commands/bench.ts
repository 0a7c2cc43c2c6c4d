import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { compress, decompress, DEFAULT_LEVEL, bundleIdHex } from '../../index.js';
import { kindChart, speedChart, type BenchRun } from '../bench-svg.js';

// `kolmo bench [DIR]` / `npm run bench`: bits per byte, speed and peak memory of
// kolmo's levels against gzip -9 and brotli 11 (node:zlib) and, when installed,
// xz -9e and zstd -19 (the zstd command, else node:zlib where it has zstd), on every file
// under DIR. Each codec runs in its own child process so its peak resident memory can be read.
// With --svg OUTDIR it also writes two charts there (src/cli/bench-svg.ts).

interface Result {
  bytes: number;
  /** Wall-clock milliseconds. */
  encMs: number;
  decMs: number;
  /** CPU milliseconds (user + system, all threads): speed per core on a busy machine. */
  encCpuMs: number;
  decCpuMs: number;
  maxRssKb: number;
}

/** node:zlib's zstd (Node 22.15 and later), typed here because Node 20's types lack it. */
const zstd = (zlib as unknown as { zstdCompressSync?: unknown }).zstdCompressSync
  ? (zlib as unknown as {
      zstdCompressSync(d: Uint8Array, o: { params: Record<number, number> }): Buffer;
      zstdDecompressSync(d: Uint8Array): Buffer;
      constants: { ZSTD_c_compressionLevel: number };
    })
  : null;

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/** Child-process entry: `__bench-one CODEC FILE [THREADS]` prints one Result as JSON. */
export async function benchOne(args: string[]): Promise<void> {
  const [codec, file, threadsArg] = args;
  const data = new Uint8Array(fs.readFileSync(file));
  const threads = Number(threadsArg || 1);
  let packed: Uint8Array;
  let restored: Uint8Array;
  let t = performance.now();
  let c = process.cpuUsage();
  if (codec.startsWith('kolmo')) {
    const level = Number(codec.slice(7)); // "kolmo-l1"
    // Warm up by coding the file once, untimed: module compile, model and prior loading, and
    // the first touch of the frame's tables (~0.7 ms per MB on this VM, 20-90 ms for a
    // 0.15-1 MB file) are paid once per instance; the table shows the coding speed of a warm
    // instance, as for a process that codes more than one input.
    await decompress(await compress(data, { level, threads }), { threads });
    t = performance.now();
    c = process.cpuUsage();
    packed = await compress(data, { level, threads });
    var encMs = performance.now() - t;
    var encCpuMs = cpuMs(process.cpuUsage(c));
    t = performance.now();
    c = process.cpuUsage();
    restored = await decompress(packed, { threads });
  } else if (codec === 'gzip-9') {
    packed = zlib.gzipSync(data, { level: 9 });
    var encMs = performance.now() - t;
    var encCpuMs = cpuMs(process.cpuUsage(c));
    t = performance.now();
    c = process.cpuUsage();
    restored = zlib.gunzipSync(packed);
  } else if (codec === 'brotli-11') {
    packed = zlib.brotliCompressSync(data, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    });
    var encMs = performance.now() - t;
    var encCpuMs = cpuMs(process.cpuUsage(c));
    t = performance.now();
    c = process.cpuUsage();
    restored = zlib.brotliDecompressSync(packed);
  } else if (codec === 'zstd-19' && zstd) {
    packed = zstd.zstdCompressSync(data, { params: { [zstd.constants.ZSTD_c_compressionLevel]: 19 } });
    var encMs = performance.now() - t;
    var encCpuMs = cpuMs(process.cpuUsage(c));
    t = performance.now();
    c = process.cpuUsage();
    restored = zstd.zstdDecompressSync(packed);
  } else throw new Error(`unknown codec ${codec}`);
  const decMs = performance.now() - t;
  const decCpuMs = cpuMs(process.cpuUsage(c));
  if (Buffer.compare(Buffer.from(restored), Buffer.from(data)) !== 0) throw new Error(`${codec}: round trip mismatch on ${file}`);
  const r: Result = { bytes: packed.length, encMs, decMs, encCpuMs, decCpuMs, maxRssKb: process.resourceUsage().maxRSS };
  process.stdout.write(JSON.stringify(r) + '\n');
}

function runChild(codec: string, file: string, threads: number): Result {
  const cli = process.argv[1];
  const out = execFileSync(process.execPath, [cli, '__bench-one', codec, file, String(threads)], { maxBuffer: 1 << 20 });
  return JSON.parse(out.toString());
}

function have(tool: string): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Runs an external compressor; peak memory via /usr/bin/time when present. */
function runExternal(tool: string, args: string[], file: string): Result {
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const run = (argv: string[], input?: Buffer) => {
    const t = performance.now();
    const r = timeBin
      ? spawnSync(timeBin, ['-f', '%U %S %M', ...argv], { input, maxBuffer: 1 << 30 })
      : spawnSync(argv[0], argv.slice(1), { input, maxBuffer: 1 << 30 });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed`);
    const [user, sys, rss] = timeBin ? r.stderr.toString().trim().split('\n').pop()!.split(' ').map(Number) : [NaN, NaN, NaN];
    return { out: r.stdout, ms, cpu: (user + sys) * 1000, rss };
  };
  const c = run([tool, ...args, '-c', file]);
  const d = run([tool, '-d', '-c'], c.out);
  if (Buffer.compare(d.out, fs.readFileSync(file)) !== 0) throw new Error(`${tool}: round trip mismatch on ${file}`);
  return { bytes: c.out.length, encMs: c.ms, decMs: d.ms, encCpuMs: c.cpu, decCpuMs: d.cpu, maxRssKb: Math.max(c.rss, d.rss) };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile() && !e.name.endsWith('.tsv') && !e.name.endsWith('.md')) out.push(p);
  }
  return out;
}

/**
 * The kind of a file, for the chart by kind: the Calgary and Canterbury files by the corpora's
 * own descriptions, other files by their extension, else text or binary by content.
 */
const KNOWN_KINDS: Record<string, string> = {
  'alice29.txt': 'prose', 'asyoulik.txt': 'prose', 'lcet10.txt': 'prose', 'plrabn12.txt': 'prose', book1: 'prose', book2: 'prose',
  paper1: 'markup', paper2: 'markup', 'xargs.1': 'markup', 'cp.html': 'markup', bib: 'markup', 'enwik8-prefix-10000B': 'markup',
  progc: 'source code', progl: 'source code', progp: 'source code', 'fields.c': 'source code', 'grammar.lsp': 'source code',
  news: 'other text', trans: 'other text',
  geo: 'binary', obj1: 'binary', obj2: 'binary', pic: 'binary', ptt5: 'binary', 'kennedy.xls': 'binary', sum: 'binary',
};
const EXTENSION_KINDS: [RegExp, string][] = [
  [/\.(txt)$/i, 'prose'],
  [/\.(html?|xml|md|tex|rst|[1-9])$/i, 'markup'],
  [/\.(c|h|cc|cpp|js|mjs|ts|py|rs|go|java|lsp|sh)$/i, 'source code'],
];

export function fileKind(file: string, text: boolean): string {
  const name = path.basename(file);
  if (KNOWN_KINDS[name]) return KNOWN_KINDS[name];
  if (!text) return 'binary';
  return EXTENSION_KINDS.find(([re]) => re.test(name))?.[1] ?? 'other text';
}

/** Text = mostly printable ASCII / UTF-8 (the set the ratio targets are quoted on). */
function isText(file: string): boolean {
  const b = fs.readFileSync(file);
  let printable = 0;
  for (const c of b) if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0xc2) printable++;
  return printable / Math.max(1, b.length) > 0.97;
}

export async function runBench(dirArg?: string, opts: { threads?: number; levels?: number[]; svgDir?: string } = {}): Promise<void> {
  const dir = dirArg ?? path.resolve('../shared/corpus/eval');
  if (!fs.existsSync(dir)) throw new Error(`bench directory ${dir} does not exist (pass one: kolmo bench DIR)`);
  const threads = opts.threads ?? 1;
  const levels = opts.levels ?? (bundleIdHex ? [1, 2, 3] : [1]);
  const codecs: { name: string; run: (f: string) => Result }[] = levels.map((l) => ({
    name: `kolmo-l${l}`,
    run: (f: string) => runChild(`kolmo-l${l}`, f, threads),
  }));
  codecs.push({ name: 'gzip-9', run: (f) => runChild('gzip-9', f, 1) });
  codecs.push({ name: 'brotli-11', run: (f) => runChild('brotli-11', f, 1) });
  if (have('xz')) codecs.push({ name: 'xz-9e', run: (f) => runExternal('xz', ['-9e', '-T1'], f) });
  if (have('zstd')) codecs.push({ name: 'zstd-19', run: (f) => runExternal('zstd', ['-19', '-q'], f) });
  else if (zstd) codecs.push({ name: 'zstd-19', run: (f) => runChild('zstd-19', f, 1) });

  const files = listFiles(dir);
  const totals = new Map<string, { all: Result; text: Result }>();
  const zero = (): Result => ({ bytes: 0, encMs: 0, decMs: 0, encCpuMs: 0, decCpuMs: 0, maxRssKb: 0 });
  let rawAll = 0;
  let rawText = 0;
  const run: BenchRun = { codecs: codecs.map((c) => c.name), files: [] };
  const log = (s: string) => process.stdout.write(s + '\n');
  log(`kolmo bench: ${files.length} files in ${dir}; kolmo threads ${threads}; default level ${DEFAULT_LEVEL}; model bundle ${bundleIdHex ?? 'none'}`);
  log('bpb = compressed bits per input byte; KB/s = input KiB per second of wall time, and per CPU-second (user+sys,');
  log('all threads: the per-core rate, which a busy machine distorts less); mem = peak RSS of the process');
  const header = `| ${'file'.padEnd(24)} | ${'bytes'.padStart(9)} | ${'codec'.padEnd(10)} | ${'bpb'.padStart(6)} | ${'comp KB/s'.padStart(9)} | ${'dec KB/s'.padStart(9)} | ${'comp/CPU'.padStart(8)} | ${'dec/CPU'.padStart(8)} | ${'mem MB'.padStart(6)} |`;
  log(header);
  log(header.replace(/[^|]/g, '-'));
  for (const f of files) {
    const size = fs.statSync(f).size;
    const text = isText(f);
    rawAll += size;
    if (text) rawText += size;
    const name = path.relative(dir, f) + (text ? '' : ' (bin)');
    const fr: BenchRun['files'][number] = { name: path.relative(dir, f), size, text, kind: fileKind(f, text), results: {} };
    run.files.push(fr);
    for (const c of codecs) {
      const r = c.run(f);
      fr.results[c.name] = r;
      const t = totals.get(c.name) ?? { all: zero(), text: zero() };
      for (const acc of text ? [t.all, t.text] : [t.all]) {
        acc.bytes += r.bytes;
        acc.encMs += r.encMs;
        acc.decMs += r.decMs;
        acc.encCpuMs += r.encCpuMs;
        acc.decCpuMs += r.decCpuMs;
        acc.maxRssKb = Math.max(acc.maxRssKb, r.maxRssKb);
      }
      totals.set(c.name, t);
      log(row(name, size, c.name, r));
    }
  }
  log('');
  log('Totals (bpb over the summed bytes; "vs xz" = compressed bytes / xz -9e bytes)');
  const totalHeader = header + ' vs xz |';
  log(totalHeader.replace('file    ', 'set     '));
  log(totalHeader.replace(/[^|]/g, '-'));
  for (const [set, raw] of [['text files', rawText], ['all files', rawAll]] as const) {
    const xz = totals.get('xz-9e');
    for (const [name, t] of totals) {
      const r = set === 'text files' ? t.text : t.all;
      const x = xz ? (set === 'text files' ? xz.text : xz.all) : null;
      log(row(set, raw, name, r) + ` ${x ? (r.bytes / x.bytes).toFixed(3).padStart(5) : '  -  '} |`);
    }
  }
  await benchSlices(files.filter(isText), levels);
  if (opts.svgDir) writeCharts(run, opts.svgDir);
}

/** Writes OUTDIR/bench-speed.svg and OUTDIR/bench-kinds.svg. */
function writeCharts(run: BenchRun, outDir: string): void {
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, svg] of [['bench-speed.svg', speedChart(run)], ['bench-kinds.svg', kindChart(run)]] as const) {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, svg);
    process.stdout.write(`wrote ${file}\n`);
  }
}

/**
 * Small inputs: 1, 2 and 4 KB slices from the middle of each text file, each
 * compressed on its own (whole streams, container included), totalled per size.
 */
async function benchSlices(files: string[], levels: number[]): Promise<void> {
  const sizes = [1024, 2048, 4096];
  const log = (s: string) => process.stdout.write(s + '\n');
  log('');
  log(`Small inputs: ${sizes.map((n) => n / 1024 + ' KB').join(', ')} slices from the middle of each text file (${files.length} files), each compressed alone`);
  log(`| ${'slice'.padEnd(6)} | ${'count'.padStart(5)} | ${'codec'.padEnd(10)} | ${'bytes'.padStart(8)} | ${'bpb'.padStart(6)} | vs xz |`);
  log('|--------|-------|------------|----------|--------|-------|');
  const xzOk = have('xz');
  for (const n of sizes) {
    const slices = files
      .map((f) => fs.readFileSync(f))
      .filter((d) => d.length >= 2 * n)
      .map((d) => new Uint8Array(d.subarray(d.length >> 1, (d.length >> 1) + n)));
    const totals = new Map<string, number>();
    for (const s of slices) {
      for (const l of levels) totals.set(`kolmo-l${l}`, (totals.get(`kolmo-l${l}`) ?? 0) + (await compress(s, { level: l, threads: 1 })).length);
      totals.set('gzip-9', (totals.get('gzip-9') ?? 0) + zlib.gzipSync(s, { level: 9 }).length);
      totals.set('brotli-11', (totals.get('brotli-11') ?? 0) + zlib.brotliCompressSync(s, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length);
      if (xzOk) totals.set('xz-9e', (totals.get('xz-9e') ?? 0) + spawnSync('xz', ['-9e', '-T1', '-c'], { input: s }).stdout.length);
    }
    const xz = totals.get('xz-9e');
    for (const [name, bytes] of totals) {
      log(`| ${(n / 1024 + ' KB').padEnd(6)} | ${String(slices.length).padStart(5)} | ${name.padEnd(10)} | ${String(bytes).padStart(8)} | ${((bytes * 8) / (n * slices.length)).toFixed(3).padStart(6)} | ${xz ? (bytes / xz).toFixed(3).padStart(5) : '  -  '} |`);
    }
  }
}

function row(name: string, size: number, codec: string, r: Result): string {
  const kbs = (ms: number) => (ms > 0 && Number.isFinite(ms) ? (size / 1024 / (ms / 1000)).toFixed(0) : '-');
  return `| ${name.padEnd(24)} | ${String(size).padStart(9)} | ${codec.padEnd(10)} | ${((r.bytes * 8) / size).toFixed(3).padStart(6)} | ${kbs(r.encMs).padStart(9)} | ${kbs(r.decMs).padStart(9)} | ${kbs(r.encCpuMs).padStart(8)} | ${kbs(r.decCpuMs).padStart(8)} | ${(r.maxRssKb / 1024).toFixed(0).padStart(6)} |`;
}
