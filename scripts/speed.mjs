// Dev probe: min-of-N CPU-time encode speed of one file at one level (raw wasm, one frame).
import fs from 'node:fs';
import { modelBundle } from './model.mjs';
const [file, levelArg = '1', runsArg = '3'] = process.argv.slice(2);
const level = +levelArg;
const wasm = await WebAssembly.instantiate(fs.readFileSync('build/kolmo.dev.wasm'), { env: { abort() { throw new Error('abort'); } } });
const e = wasm.instance.exports;
const copyIn = (b) => { const p = e.allocBytes(b.length); new Uint8Array(e.memory.buffer, p, b.length).set(b); return p; };
if (level >= 2) { const m = modelBundle(); if (!m || e.modelLoad(copyIn(m), m.length)) throw new Error('model'); }
const pf = `models/kolmo-prior-l${level}.bin`;
if (fs.existsSync(pf)) { const b = fs.readFileSync(pf); e.loadPrior(level, copyIn(b), b.length); }
const d = fs.readFileSync(file);
e.setup(d.length);
let best = Infinity, len = 0;
for (let r = 0; r < +runsArg; r++) {
  new Uint8Array(e.memory.buffer, e.inputPtr(), d.length).set(d);
  const t = process.cpuUsage();
  len = e.encodeFrame(level, d.length);
  const u = process.cpuUsage(t);
  best = Math.min(best, (u.user + u.system) / 1000);
}
console.log(`${file.split('/').pop()} L${level}: ${(len * 8 / d.length).toFixed(4)} bpb, ${(d.length / 1024 / (best / 1000)).toFixed(0)} KB/s (best of ${runsArg}, CPU time)`);
