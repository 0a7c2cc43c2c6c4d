// Dev probe: level-N bits per byte over the text set, via the raw wasm (single frame per file).
import fs from 'node:fs';
import { execSync } from 'node:child_process';
const level = +(process.argv[2] || 1);
const files = execSync('sh scripts/textset.sh').toString().trim().split('\n');
const wasm = await WebAssembly.instantiate(fs.readFileSync('build/kolmo.wasm'), { env: { abort() { throw new Error('abort'); } } });
const e = wasm.instance.exports;
if (level >= 2) {
  const m = fs.readFileSync(process.argv[3] || 'models/kolmo-lm-v1.bin');
  const p = e.allocBytes(m.length); new Uint8Array(e.memory.buffer, p, m.length).set(m);
  if (e.lmLoad(p, m.length) !== 0) throw new Error('lmLoad');
}
e.setup(1 << 20);
let tot = 0, raw = 0, ms = 0;
const out = [];
for (const f of files) {
  const d = fs.readFileSync(f);
  new Uint8Array(e.memory.buffer, e.inputPtr(), d.length).set(d);
  const t = process.cpuUsage();
  const len = e.encodeFrame(level, d.length);
  const u = process.cpuUsage(t);
  ms += (u.user + u.system) / 1000;
  tot += len; raw += d.length;
  out.push(`${f.split('/').pop()}:${(len * 8 / d.length).toFixed(3)}`);
}
console.log(out.join(' '));
console.log(`total ${tot} bytes, ${(tot * 8 / raw).toFixed(4)} bpb, ${(raw / 1024 / (ms / 1000)).toFixed(0)} KB/s (CPU time)`);
