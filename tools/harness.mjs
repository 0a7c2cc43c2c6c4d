// The raw WebAssembly harness of the tools: an instance of a kolmo build with the model bundle
// and the priors loaded, frames coded through its exports (assembly/codec.ts), CPU time, and
// the text set. Bytes are payloads, with no container (src/format.ts) around them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelBundle } from '../scripts/model.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));
/** The evaluation corpus (../shared/corpus/eval beside the checkout). */
export const EVAL_DIR = path.join(root, '../shared/corpus/eval');
/** The Canterbury and Calgary text files the ratio targets are quoted on (paths under EVAL_DIR). */
export const TEXT_SET = [
  'canterbury/alice29.txt', 'canterbury/asyoulik.txt', 'canterbury/cp.html', 'canterbury/fields.c', 'canterbury/grammar.lsp',
  'canterbury/lcet10.txt', 'canterbury/plrabn12.txt', 'canterbury/xargs.1', 'calgary/bib', 'calgary/book1', 'calgary/book2', 'calgary/news',
  'calgary/paper1', 'calgary/paper2', 'calgary/progc', 'calgary/progl', 'calgary/progp', 'calgary/trans',
];

/** The 1, 2 and 4 KB slices from the middle of d (those that fit twice in it). */
export function middleSlices(d, sizes = [1024, 2048, 4096]) {
  return sizes.filter((n) => d.length > 2 * n).map((n) => d.subarray(d.length >> 1, (d.length >> 1) + n));
}

/** User + system CPU milliseconds of this process so far. */
export function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The exports of a WebAssembly module (a file, default $WASM or build/kolmo.dev.wasm, the development module, or its bytes). */
export async function instantiate(wasm = process.env.WASM || path.join(root, 'build/kolmo.dev.wasm')) {
  const bytes = typeof wasm === 'string' ? fs.readFileSync(wasm) : wasm;
  const { instance } = await WebAssembly.instantiate(bytes, { env: { abort() { throw new Error('abort in the WebAssembly module'); } } });
  return instance.exports;
}

/** Copies bytes into long-lived memory of instance e (alloc: its allocator export); returns their address. */
export function copyIn(e, bytes, alloc = e.allocBytes) {
  const p = alloc(bytes.length);
  if (p === 0) throw new Error('out of WebAssembly memory');
  new Uint8Array(e.memory.buffer, p, bytes.length).set(bytes);
  return p;
}

/** The prior file of a level in models/. */
export const priorFile = (level) => path.join(root, `models/kolmo-prior-l${level}.bin`);

/**
 * A kolmo build ready to code frames of up to `frame` bytes at `levels`: the model bundle
 * (`bundle`, default scripts/model.mjs's; null: missing) loaded when a level needs it, and each level's prior
 * (priors[level]: a file, or 'none'; default models/, skipped when missing).
 */
export async function kolmo({ wasm, levels = [1], bundle, priors = {}, frame = 1 << 20 } = {}) {
  const e = await instantiate(wasm);
  if (levels.some((l) => l >= 2)) {
    const m = bundle === undefined ? modelBundle() : bundle;
    if (!m) throw new Error('no model bundle (models/ and scripts/model.mjs)');
    const rc = e.modelLoad(copyIn(e, m), m.length);
    if (rc !== 0) throw new Error(`the model bundle did not load (code ${rc})`);
  }
  for (const level of new Set(levels)) {
    const f = priors[level] ?? priorFile(level);
    if (f === 'none' || !fs.existsSync(f)) continue;
    const b = fs.readFileSync(f);
    const rc = e.loadPrior(level, copyIn(e, b), b.length);
    if (rc !== 0) throw new Error(`prior ${f} does not fit this build (code ${rc})`);
  }
  if (e.setup(frame) !== 0) throw new Error(`out of memory setting up frames of ${frame} bytes`);
  return e;
}

/** Encodes d as one frame: the payload length, or -1 when it is not smaller than d (stored raw). */
export function encodeFrame(e, level, d) {
  new Uint8Array(e.memory.buffer, e.inputPtr(), d.length).set(d);
  const len = e.encodeFrame(level, d.length);
  if (len < -1) throw new Error(`out of memory encoding ${d.length} bytes (code ${len})`);
  return len;
}

/** The payload of the last encodeFrame (a copy). */
export function payload(e, len) {
  return new Uint8Array(e.memory.buffer, e.outputPtr(), len).slice();
}

/** Decodes a payload of one frame into n bytes: a view of the module's memory, valid until the next call. */
export function decodeFrame(e, level, p, n) {
  new Uint8Array(e.memory.buffer, e.inputPtr(), p.length).set(p);
  const rc = e.decodeFrame(level, p.length, n);
  if (rc !== 0) throw new Error(`decodeFrame failed (code ${rc})`);
  return new Uint8Array(e.memory.buffer, e.outputPtr(), n);
}
