#!/usr/bin/env node
// Constant-memory check: pushes SIZE MB of generated data (text-like and random
// blocks, made on the fly and never held whole) through
//   stream: createCompressNodeStream -> createDecompressNodeStream -> slow consumer (this process)
//   cli:    node bin/kolmo.cjs compress -l 1 | node bin/kolmo.cjs decompress -> slow consumer
// verifies each round trip with a running sha256, and reports peak RSS against the target.
//
//   node scripts/check-memory.mjs [SIZE_MB=16] [--mode both|stream|cli] [--level 1]
//                                 [--limit-mb 400] [--threads N] [--frame-size BYTES]
// Exit status 1 when a round trip differs or a peak RSS is over the limit.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1 << 20;

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const mode = opt('mode', 'both');
const level = Number(opt('level', '1'));
const limitMB = Number(opt('limit-mb', '400'));
const threads = opt('threads', undefined);
const frameSize = opt('frame-size', undefined);
const sizeMB = Number(args[0] ?? '16');
if (!(sizeMB > 0) || !['both', 'stream', 'cli'].includes(mode)) {
  console.error('usage: node scripts/check-memory.mjs [SIZE_MB] [--mode both|stream|cli] [--level N] [--limit-mb N] [--threads N] [--frame-size B]');
  process.exit(2);
}
const size = Math.round(sizeMB * MB);

// ---- deterministic generator: 64 KiB blocks, ~3/4 text-like, ~1/4 random ----
const WORDS = (
  'the of and to in is was for that on with as by at from his her it an were are which this be ' +
  'or has had not but have their they its one after new first been also who all two more other ' +
  'compression model byte stream frame worker memory level context predictor mixer coder entropy ' +
  'kolmo data 2024 1999 {"id": "name": true, false, null] [ 0.5 -17 <div> </p> http://example.org/'
).split(' ');
function* generate(total, seed = 0x9e3779b9) {
  let s = seed >>> 0;
  const next = () => {
    // xorshift32
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
  const enc = new TextEncoder();
  let made = 0;
  while (made < total) {
    const n = Math.min(64 * 1024, total - made);
    const block = new Uint8Array(n);
    if (next() % 4 === 0) {
      for (let i = 0; i < n; i += 4) {
        const r = next();
        block[i] = r; block[i + 1] = r >>> 8; block[i + 2] = r >>> 16; block[i + 3] = r >>> 24;
      }
    } else {
      let i = 0;
      while (i < n) {
        const r = next();
        let w = WORDS[r % WORDS.length];
        if ((r >>> 16) % 13 === 0) w += '.\n';
        else if ((r >>> 16) % 7 === 0) w += ',';
        const b = enc.encode(w + ' ');
        const k = Math.min(b.length, n - i);
        block.set(k === b.length ? b : b.subarray(0, k), i);
        i += k;
      }
    }
    made += n;
    yield block;
  }
}

function source(total, hash) {
  return Readable.from((function* () {
    for (const b of generate(total)) {
      hash.update(b);
      yield b;
    }
  })(), { objectMode: false, highWaterMark: 64 * 1024 });
}

/** RSS (MB) of the CLI processes under a shell pid, from /proc (Linux; best effort, for progress lines). */
function childRss(shellPid) {
  try {
    const kids = fs.readFileSync(`/proc/${shellPid}/task/${shellPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return kids.map((k) => {
      const cmd = fs.readFileSync(`/proc/${k}/cmdline`, 'utf8').split('\0');
      const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${k}/status`, 'utf8'))?.[1];
      return `${cmd.includes('compress') ? 'compress' : cmd.includes('decompress') ? 'decompress' : k} ${Math.round(Number(rss) / 1024)} MB`;
    }).join(', ');
  } catch {
    return '';
  }
}

/** A consumer that hashes what it gets and stalls STALL_MS after every MiB (backpressure upstream). */
function slowConsumer(hash, label, stallMs = 100, extra = () => '') {
  let got = 0;
  let nextStall = MB;
  let nextReport = 8 * MB;
  const t0 = Date.now();
  const w = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk, _enc, cb) {
      hash.update(chunk);
      got += chunk.length;
      if (got >= nextReport) {
        nextReport += 8 * MB;
        const s = (Date.now() - t0) / 1000;
        console.log(`  ${label}: ${(got / MB).toFixed(0)} MB out, ${s.toFixed(0)} s, ${(got / MB / s).toFixed(2)} MB/s, rss now ${(process.memoryUsage.rss() / MB).toFixed(0)} MB${extra()}`);
      }
      if (got >= nextStall) {
        nextStall += MB;
        setTimeout(cb, stallMs);
      } else setImmediate(cb);
    },
  });
  w.bytes = () => got;
  return w;
}

const results = [];
function report(name, ok, peaks, detail) {
  const over = peaks.filter(([, kb]) => kb / 1024 > limitMB);
  const pass = ok && over.length === 0;
  const peakText = peaks.map(([who, kb]) => `${who} ${(kb / 1024).toFixed(0)} MB`).join(', ');
  console.log(`${pass ? 'PASS' : 'FAIL'} ${name}: ${sizeMB} MB level ${level}, round trip ${ok ? 'identical' : 'DIFFERENT'}; peak RSS ${peakText} (target <= ${limitMB} MB); ${detail}`);
  results.push(pass);
}

async function runStream() {
  const { createCompressNodeStream, createDecompressNodeStream } = await import(path.join(root, 'dist/index.js'));
  const opts = { level };
  if (threads) opts.threads = Number(threads);
  if (frameSize) opts.frameSize = Number(frameSize);
  const hin = createHash('sha256');
  const hout = createHash('sha256');
  let compressed = 0;
  const count = new (await import('node:stream')).Transform({
    transform(chunk, _e, cb) {
      compressed += chunk.length;
      cb(null, chunk);
    },
  });
  const sink = slowConsumer(hout, 'stream');
  const t0 = Date.now();
  console.log(`stream: ${sizeMB} MB through createCompressNodeStream(${JSON.stringify(opts)}) -> createDecompressNodeStream() -> slow consumer`);
  await pipeline(source(size, hin), createCompressNodeStream(opts), count, createDecompressNodeStream(threads ? { threads: Number(threads) } : {}), sink);
  const s = (Date.now() - t0) / 1000;
  const ok = sink.bytes() === size && hin.digest('hex') === hout.digest('hex');
  report('stream', ok, [['process', process.resourceUsage().maxRSS]],
    `${size} -> ${compressed} bytes (${(compressed / size * 100).toFixed(1)}%), ${s.toFixed(0)} s`);
}

async function runCli() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kolmo-mem-'));
  // Preloaded into each CLI process: writes its peak RSS (KiB) when it exits.
  const preload = path.join(tmp, 'rss.cjs');
  fs.writeFileSync(preload, `process.on('exit', () => require('fs').appendFileSync(${JSON.stringify(path.join(tmp, 'rss.txt'))}, process.argv[2] + ' ' + process.resourceUsage().maxRSS + '\\n'));\n`);
  const cli = path.join(root, 'bin/kolmo.cjs');
  const extra = (threads ? ` --threads ${Number(threads)}` : '');
  const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = `node -r ${q(preload)} ${q(cli)} compress -l ${level}${extra}${frameSize ? ` --frame-size ${Number(frameSize)}` : ''} | node -r ${q(preload)} ${q(cli)} decompress${extra}`;
  console.log(`cli: ${sizeMB} MB through: ${cmd.replaceAll(preload, 'rss.cjs').replaceAll(cli, 'bin/kolmo.cjs')} -> slow consumer`);
  const child = spawn('bash', ['-c', `set -o pipefail; ${cmd}`], { stdio: ['pipe', 'pipe', 'inherit'] });
  let running = true;
  const exited = new Promise((resolve) => child.on('close', (code) => {
    running = false;
    resolve(code);
  }));
  const hin = createHash('sha256');
  const hout = createHash('sha256');
  const sink = slowConsumer(hout, 'cli', 100, () => { const c = childRss(child.pid); return c ? ` (this harness), ${c}` : ''; });
  const t0 = Date.now();
  let code, peaks;
  try {
    await Promise.all([pipeline(source(size, hin), child.stdin), pipeline(child.stdout, sink)]);
    code = await exited;
    peaks = fs.existsSync(path.join(tmp, 'rss.txt'))
      ? fs.readFileSync(path.join(tmp, 'rss.txt'), 'utf8').trim().split('\n').map((l) => l.split(' ')).map(([w, kb]) => [w, Number(kb)])
      : [];
  } finally {
    if (running) child.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const s = (Date.now() - t0) / 1000;
  const ok = code === 0 && peaks.length === 2 && sink.bytes() === size && hin.digest('hex') === hout.digest('hex');
  report('cli', ok, peaks.length ? peaks : [['(no peak recorded)', 0]], `exit status ${code}, ${s.toFixed(0)} s`);
}

console.log(`node ${process.version}, ${os.availableParallelism()} cores, ${sizeMB} MB, mode ${mode}`);
try {
  if (mode !== 'cli') await runStream();
  if (mode !== 'stream') await runCli();
} catch (e) {
  console.error(e);
  results.push(false);
}
const pass = results.length > 0 && results.every(Boolean);
console.log(pass ? 'memory check passed' : 'memory check FAILED');
process.exit(pass ? 0 : 1);
