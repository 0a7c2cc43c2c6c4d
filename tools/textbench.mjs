// Bits per byte over the text set via the raw WebAssembly (one frame per file), or over 1-4 KB
// slices of it (--slices, against xz -9e), with the priors in models/ when present.
//   node tools/textbench.mjs LEVEL [--slices] [--no-prior]   (ONLY=NAME: the files whose path has NAME; WASM, PRIOR: other files)
import fs from 'node:fs';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { cpuMs, encodeFrame, EVAL_DIR, kolmo, middleSlices, TEXT_SET } from './harness.mjs';

const level = +(process.argv[2] || 1);
const slices = process.argv.includes('--slices');
const noPrior = process.argv.includes('--no-prior');
const files = TEXT_SET.filter((f) => !process.env.ONLY || f.includes(process.env.ONLY)).map((f) => path.join(EVAL_DIR, f));
const e = await kolmo({ levels: [level], priors: { [level]: noPrior ? 'none' : process.env.PRIOR } });
const inputs = [];
for (const f of files) {
  const d = fs.readFileSync(f);
  const name = f.split('/').pop();
  if (!slices) inputs.push([name, d]);
  else for (const s of middleSlices(d)) inputs.push([`${name}@${s.length}`, s]);
}
let tot = 0, raw = 0, ms = 0, xz = 0;
const bySize = {}; // slice size -> [kolmo bytes, xz bytes]
const out = [];
for (const [name, d] of inputs) {
  const t = cpuMs();
  let len = encodeFrame(e, level, d);
  ms += cpuMs() - t;
  if (len < 0) len = d.length;
  tot += len; raw += d.length;
  if (slices) {
    const x = execSync('xz -9e -T1 -c', { input: d }).length;
    xz += x;
    const s = (bySize[d.length] ??= [0, 0]);
    s[0] += len;
    s[1] += x;
  }
  if (!slices) out.push(`${name}:${(len * 8 / d.length).toFixed(3)}`);
}
if (out.length) console.log(out.join(' '));
for (const [n, [k, x]] of Object.entries(bySize)) console.log(`${n} B slices: ${k} bytes, xz -9e ${x}, ratio ${(k / x).toFixed(4)}`);
console.log(`${inputs.length} inputs: total ${tot} bytes, ${(tot * 8 / raw).toFixed(4)} bpb, ${(raw / 1024 / (ms / 1000)).toFixed(0)} KB/s (CPU time)` + (slices ? `; xz -9e ${xz} bytes, ratio ${(tot / xz).toFixed(3)} (payload only, no container)` : ''));
