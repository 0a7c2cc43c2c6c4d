// Makes models/kolmo-prior-l<LEVEL>.bin: the learned starting state of the
// mixers, bit-history maps and order-0 APM (see assembly/prior.ts).
//
//   node scripts/make-prior.mjs --level 1 --corpus /tmp/corpus-raw [--chunks 400] [--average N]
//        [--model FILE (default: scripts/model.mjs)]
//
// It codes many short corpus excerpts (0.5–16 KB, all categories, some with CRLF
// line ends), each starting from the prior the previous ones produced: the result
// is a state tuned for the first kilobytes of a frame, where a prior matters. The prior
// written is the average of the states after the last N excerpts (default: half of
// them), element by element: one excerpt's state leans towards that excerpt. Measured at
// level 2 (600 excerpts): 1–4 KB slices 31,001 → 30,811 bytes with the last 300 averaged,
// 30,813 with the last 500; 1,200 excerpts, the last 600 averaged: 30,810.
// Excerpts come from the first 80 % of each shard (the LM's validation slices
// are at the shard ends). Deterministic: a fixed-seed LCG picks everything.
import fs from 'node:fs';
import path from 'node:path';
import { MODEL_FILE, modelBundle } from './model.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const level = Number(args.level ?? 1);
const corpus = args.corpus ?? '/tmp/corpus-raw';
const chunks = Number(args.chunks ?? 400);
const average = Number(args.average ?? Math.max(1, Math.floor(chunks / 2)));
if (!(average >= 1 && average <= chunks)) throw new Error(`--average must be in 1..${chunks}`);
const out = args.out ?? `models/kolmo-prior-l${level}.bin`;
const modelPath = args.model ?? process.env.KOLMO_LM ?? MODEL_FILE;

let seed = 0x2545f491n;
const rand = () => {
  seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
  return Number(seed >> 33n) / 2 ** 31;
};

const mix = { prose: 0.4, wiki: 0.11, 'code-js': 0.1, 'code-c': 0.05, 'code-py': 0.05, 'code-misc': 0.05, json: 0.05, markup: 0.05, man: 0.05, log: 0.09 };
const shards = fs.readdirSync(corpus).filter((f) => f.endsWith('.txt'));
const byCat = {};
for (const f of shards) (byCat[f.replace(/-\d+\.txt$/, '')] ??= []).push(f);
const cache = new Map();
const shard = (f) => {
  if (!cache.has(f)) cache.set(f, fs.readFileSync(path.join(corpus, f)));
  return cache.get(f);
};
function excerpt() {
  let r = rand();
  let cat = 'prose';
  for (const [c, w] of Object.entries(mix)) if ((r -= w) < 0) { cat = c; break; }
  const files = byCat[cat];
  const buf = shard(files[Math.floor(rand() * files.length)]);
  const len = Math.floor(512 * 32 ** rand()); // 0.5 .. 16 KB, log-uniform
  const start = Math.floor(rand() * (buf.length * 0.8 - len));
  let text = buf.subarray(start, start + len).toString('latin1');
  text = text.split('\n').filter((l) => !l.startsWith('<<<doc: ')).join('\n');
  if (rand() < 0.15) text = text.replace(/\n/g, '\r\n');
  return Buffer.from(text, 'latin1');
}

const wasm = await WebAssembly.instantiate(fs.readFileSync(process.env.WASM || 'build/kolmo.dev.wasm'), { env: { abort() { throw new Error('abort'); } } });
const e = wasm.instance.exports;
const copyIn = (bytes) => {
  const p = e.allocBytes(bytes.length);
  new Uint8Array(e.memory.buffer, p, bytes.length).set(bytes);
  return p;
};
if (level >= 2) {
  const m = modelBundle(modelPath);
  if (!m || e.modelLoad(copyIn(m), m.length) !== 0) throw new Error(`cannot load ${modelPath} and the n-gram model`);
}
e.setup(1 << 16);
const size = e.priorBytes(level);
e.priorMaking(1); // a fixed learning rate while learning the prior (see assembly/predictor.ts)
const blob = e.allocBytes(size);
// The running sum of the states after the excerpts averaged, one f64 per element.
const REGION_F32 = 0, REGION_U16 = 1, REGION_U32 = 2; // assembly/prior.ts
let sum = null;
function regions() {
  const list = [];
  for (let i = 0; i < e.priorRegionCount(); i++) list.push([e.priorRegionKind(i), e.priorRegionBytes(i)]);
  if (8 + list.reduce((a, [, n]) => a + n, 0) !== size) throw new Error('the prior regions do not add up to the prior size');
  return list;
}
/** Visits each element of the blob: f(kind, byte offset in the blob, element index). */
function forEachElement(f) {
  let off = 8, k = 0;
  for (const [kind, n] of regions()) {
    const w = kind === REGION_U16 ? 2 : 4;
    for (let i = 0; i < n; i += w) f(kind, off + i, k++);
    off += n;
  }
  return k;
}
function accumulate() {
  const dv = new DataView(e.memory.buffer, blob, size);
  if (!sum) sum = new Float64Array(forEachElement(() => {}));
  forEachElement((kind, off, k) => {
    sum[k] += kind === REGION_F32 ? dv.getFloat32(off, true) : kind === REGION_U16 ? dv.getUint16(off, true) : dv.getUint32(off, true);
  });
}
/**
 * f32 v rounded to bfloat16 precision (8 significant bits, to nearest even), still an f32:
 * the low 16 bits of every weight are 0, so the package's gzip stores a prior in about half
 * the bytes. Learning starts from the rounded weights; 8 bits are far more than a prior needs.
 */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function bfloat16(v) {
  f32[0] = v;
  u32[0] = (u32[0] + 0x7fff + ((u32[0] >>> 16) & 1)) & 0xffff0000;
  return f32[0];
}
function writeAverage() {
  const dv = new DataView(e.memory.buffer, blob, size);
  forEachElement((kind, off, k) => {
    const v = sum[k] / average;
    if (kind === REGION_F32) dv.setFloat32(off, bfloat16(v), true);
    else if (kind === REGION_U16) dv.setUint16(off, Math.round(v), true);
    else if (kind === REGION_U32) dv.setUint32(off, Math.round(v / 2) * 2, true); // the maps keep bit 0 clear
    else throw new Error(`unknown prior region kind ${kind}`);
  });
}

let bits = 0;
let bytes = 0;
for (let i = 0; i < chunks; i++) {
  const d = excerpt();
  new Uint8Array(e.memory.buffer, e.inputPtr(), d.length).set(d);
  const len = e.encodeFrame(level, d.length);
  bits += (len < 0 ? d.length : len) * 8;
  bytes += d.length;
  e.savePrior(blob);
  if (e.loadPrior(level, blob, size) !== 0) throw new Error('loadPrior failed');
  if (i >= chunks - average) accumulate();
  if ((i + 1) % 100 === 0) console.log(`${i + 1}/${chunks} excerpts, ${(bits / bytes).toFixed(3)} bpb so far`);
}
writeAverage();
fs.writeFileSync(out, new Uint8Array(e.memory.buffer, blob, size));
console.log(`wrote ${out}: ${size} bytes from ${chunks} excerpts (${bytes} bytes), the average of the last ${average}`);
