// Min-of-N CPU-time encode speed of one file at one level (raw WebAssembly, one frame).
//   node tools/speed.mjs FILE [LEVEL=1] [RUNS=3]
import fs from 'node:fs';
import { cpuMs, encodeFrame, kolmo } from './harness.mjs';

const [file, levelArg = '1', runsArg = '3'] = process.argv.slice(2);
const level = +levelArg;
const d = fs.readFileSync(file);
const e = await kolmo({ levels: [level], frame: d.length });
let best = Infinity;
let len = 0;
for (let r = 0; r < +runsArg; r++) {
  const t = cpuMs();
  len = encodeFrame(e, level, d);
  best = Math.min(best, cpuMs() - t);
}
console.log(`${file.split('/').pop()} L${level}: ${(len * 8 / d.length).toFixed(4)} bpb, ${(d.length / 1024 / (best / 1000)).toFixed(0)} KB/s (best of ${runsArg}, CPU time)`);
