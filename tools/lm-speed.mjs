// The LM alone: bits per byte and KB per CPU-second of the f32 and int8 passes (and the int8
// scalar reference on short inputs), compiling assembly/lm/exports.ts on its own.
//   node tools/lm-speed.mjs FILE...   (from the repository root; N=BYTES: at most that many bytes of each file; KOLMO_LM=model)
import fs from 'node:fs';
import { MODEL_FILE } from '../scripts/model.mjs';
import asc from 'assemblyscript/asc';
import { copyIn, cpuMs, instantiate } from './harness.mjs';
let out;
const { error, stderr } = await asc.main(['assembly/lm/exports.ts', '-O3', '--runtime', 'stub', '--enable', 'simd', '--disable', 'relaxed-simd', '--noAssert', '--outFile', 'lm.wasm'],
  { writeFile(n, c) { if (n.endsWith('.wasm')) out = c; } });
if (error) { console.log(stderr.toString()); process.exit(1); }
const ex = await instantiate(out);
const model = fs.readFileSync(process.env.KOLMO_LM || MODEL_FILE);
if (ex.lmLoad(copyIn(ex, model, ex.lmTestAlloc), model.length)) throw new Error('load');
const files = process.argv.slice(2);
for (const f of files) {
  const d = fs.readFileSync(f).subarray(0, +(process.env.N || 200000));
  const inp = copyIn(ex, d, ex.lmTestAlloc), o = ex.lmTestAlloc(8 * d.length);
  const res = [];
  for (const [fl, sc] of [[1, 0], [0, 0], [0, 1]]) {
    if (sc && d.length > 30000) continue;
    ex.lmSetFloat(fl); ex.lmSetScalar(sc);
    const t = cpuMs();
    ex.lmRunFreqs(inp, d.length, o);
    const s = (cpuMs() - t) / 1000;
    const fr = new Uint32Array(ex.memory.buffer, o, 2 * d.length);
    let bits = 0; for (let i = 0; i < d.length; i++) bits += Math.log2(fr[2 * i + 1] / fr[2 * i]);
    res.push(`${fl ? 'f32' : 'int8'}${sc ? '-scalar' : ''} ${(bits / d.length).toFixed(4)} bpb ${(d.length / 1024 / s).toFixed(1)} KB/s`);
  }
  console.log(f.split('/').pop(), d.length, res.join(' | '));
}
