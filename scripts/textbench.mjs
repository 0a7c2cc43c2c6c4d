// Dev probe: bits per byte over the text set via the raw wasm (one frame per file),
// or over 1-4 KB slices of it (--slices), with the priors in models/ when present.
//   node scripts/textbench.mjs LEVEL [--slices] [--no-prior]
import fs from 'node:fs';
import { modelBundle } from './model.mjs';
import { execSync } from 'node:child_process';
const level = +(process.argv[2] || 1);
const slices = process.argv.includes('--slices');
const noPrior = process.argv.includes('--no-prior');
const files = execSync('sh scripts/textset.sh').toString().trim().split('\n').filter((f) => !process.env.ONLY || f.includes(process.env.ONLY));
const wasm = await WebAssembly.instantiate(fs.readFileSync(process.env.WASM || 'build/kolmo.dev.wasm'), { env: { abort() { throw new Error('abort'); } } });
const e = wasm.instance.exports;
const copyIn = (b) => { const p = e.allocBytes(b.length); new Uint8Array(e.memory.buffer, p, b.length).set(b); return p; };
if (level >= 2) {
  const m = modelBundle();
  if (!m || e.modelLoad(copyIn(m), m.length) !== 0) throw new Error('modelLoad');
}
e.setup(1 << 20);
const priorFile = process.env.PRIOR || `models/kolmo-prior-l${level}.bin`;
if (!noPrior && fs.existsSync(priorFile)) {
  const b = fs.readFileSync(priorFile);
  if (e.loadPrior(level, copyIn(b), b.length) !== 0) throw new Error('loadPrior');
}
const inputs = [];
for (const f of files) {
  const d = fs.readFileSync(f);
  if (!slices) { inputs.push([f.split('/').pop(), d]); continue; }
  // 1, 2 and 4 KB slices from the middle of each file.
  for (const n of [1024, 2048, 4096]) if (d.length > 2 * n) inputs.push([`${f.split('/').pop()}@${n}`, d.subarray(d.length >> 1, (d.length >> 1) + n)]);
}
let tot = 0, raw = 0, ms = 0, xz = 0;
const bySize = {}; // slice size -> [kolmo bytes, xz bytes]
const out = [];
for (const [name, d] of inputs) {
  new Uint8Array(e.memory.buffer, e.inputPtr(), d.length).set(d);
  const t = process.cpuUsage();
  let len = e.encodeFrame(level, d.length);
  const u = process.cpuUsage(t);
  if (len < 0) len = d.length;
  ms += (u.user + u.system) / 1000;
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
