// What each part of the model is worth: level 3 with one part removed at a time (the
// predictor's ABLATE_* bits, assembly/predictor.ts), then levels 2 and 1 as they ship, on the
// 18 text files (one frame each) and on their 1/2/4 KB slices (one frame each). Bytes are
// payloads (no container); CPU is this process's user + system time for the encode calls.
//
//   npm run build && node tools/ablate.mjs [--text] [--slices] [--only NAME,...] [--eval DIR]
//
// Needs ../shared/corpus/eval (or --eval DIR). By default both sets; a full run codes the text
// set 14 times (about 20 CPU-minutes on the development VM). Times drift between runs on a
// shared VM: compare the CPU column within one run.
import fs from 'node:fs';
import path from 'node:path';
import { modelBundle } from '../scripts/model.mjs';
import { cpuMs, encodeFrame, EVAL_DIR, kolmo, middleSlices, TEXT_SET } from './harness.mjs';

const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const value = (f, d) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : d);
const evalDir = value('--eval', EVAL_DIR);
const only = value('--only', null)?.split(',');
const sets = flag('--text') || flag('--slices') ? { text: flag('--text'), slices: flag('--slices') } : { text: true, slices: true };

// assembly/predictor.ts ABLATE_*
const A = {
  LM: 1, NGRAM: 2, PRIOR: 4, APM: 8, MATCH: 16, ORDERS_3_6: 32, WORD: 64, LINE_HEAD: 128, MIXERS: 256, ORDERS_2_4: 512, DIRECT: 1024,
  FIELD: 2048, WORD_PAIR: 4096, NESTING: 8192, RECORD: 16384, SPARSE: 65536, SHAPE: 131072, EXPECTED: 262144, CLASSES: 524288,
};
const configs = [
  ['level 3 (all parts)', 3, 0],
  ['- neural LM', 3, A.LM],
  ['- corpus n-gram', 3, A.NGRAM],
  ['- priors', 3, A.PRIOR],
  ['- APMs', 3, A.APM],
  ['- match model', 3, A.MATCH],
  ['- direct orders 0, 1', 3, A.DIRECT],
  ['- hashed orders 2, 4', 3, A.ORDERS_2_4],
  ['- hashed orders 3, 6', 3, A.ORDERS_3_6],
  ['- word context', 3, A.WORD],
  ['- line-head context', 3, A.LINE_HEAD],
  ['- field context', 3, A.FIELD],
  ['- word-pair context', 3, A.WORD_PAIR],
  ['- nesting context', 3, A.NESTING],
  ['- record context (line pair in text)', 3, A.RECORD],
  ['- bracket-word context (text; sparse elsewhere)', 3, A.SPARSE],
  ['- shape context', 3, A.SHAPE],
  ['- expected-byte context', 3, A.EXPECTED],
  ['- classes context', 3, A.CLASSES],
  ['- 7 context-selected mixers', 3, A.MIXERS],
  ['level 2 (as shipped)', 2, 0],
  ['level 1 (as shipped)', 1, 0],
].filter(([name]) => !only || only.some((o) => name.includes(o)));

const files = TEXT_SET.map((f) => fs.readFileSync(path.join(evalDir, f)));
const inputs = {
  text: files,
  slices: files.flatMap((d) => middleSlices(d)),
};

const bundle = modelBundle();
const e = await kolmo({ levels: [1, 2, 3], bundle });

function run(level, bits, list) {
  e.setAblation(bits);
  let bytes = 0;
  let raw = 0;
  const t = cpuMs();
  for (const d of list) {
    const len = encodeFrame(e, level, d);
    bytes += len < 0 ? d.length : len;
    raw += d.length;
  }
  const cpu = (cpuMs() - t) / 1000;
  e.setAblation(0);
  return { bytes, raw, cpu };
}

const pct = (x) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)} %`;
console.log(`kolmo ablation, ${new Date().toISOString().slice(0, 10)}; model bundle ${bundle.length} bytes; node ${process.version}`);
for (const set of ['text', 'slices']) {
  if (!sets[set]) continue;
  const list = inputs[set];
  console.log(`\n${set === 'text' ? `18 text files (${list.reduce((a, d) => a + d.length, 0)} bytes, one frame each)` : `${list.length} slices of 1, 2 and 4 KB (one frame each)`}`);
  console.log('| model | bytes | bpb | cost of removing it | CPU-s | CPU vs level 3 |');
  console.log('|---|---:|---:|---:|---:|---:|');
  let base = null;
  for (const [name, level, bits] of configs) {
    const r = run(level, bits, list);
    base ??= r;
    console.log(`| ${name} | ${r.bytes} | ${(r.bytes * 8 / r.raw).toFixed(4)} | ${r === base ? '' : pct(r.bytes / base.bytes - 1)} | ${r.cpu.toFixed(1)} | ${(r.cpu / base.cpu).toFixed(2)} x |`);
  }
}
