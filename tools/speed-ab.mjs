// A/B coding speed of wasm builds, in-process, one thread.
//
//   node tools/speed-ab.mjs [--level 1] [--rounds 3] [--files text|all|bin] [--only F,...] [--prior-a P] [--prior-b P]
//        [--lm-a LM.bin] A.wasm[@LEVEL] [B.wasm[@LEVEL] ...]
//
// Each round encodes then decodes every selected eval file (one frame each) with
// every build in turn (interleaved, so a busy machine hits all builds alike) and
// checks the round trip. Reports, per build: compressed bytes, bpb, and the median
// over rounds of KB per CPU-second (process.cpuUsage) for compress and decompress.
// Each build uses models/kolmo-prior-l<level>.bin unless --prior-<a|b|c..> names another, and
// the LM of scripts/model.mjs unless --lm-<a|b|c..> names another. A build's @LEVEL overrides
// --level for it (e.g. the previous release's level 2 against this one's levels 2 and 3).
import fs from 'node:fs';
import path from 'node:path';
import { modelBundle } from '../scripts/model.mjs';
import { cpuMs, decodeFrame, encodeFrame, EVAL_DIR, kolmo, payload } from './harness.mjs';

const argv = process.argv.slice(2);
const opt = {};
const builds = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i].startsWith('--')) opt[argv[i].slice(2)] = argv[++i];
  else builds.push(argv[i]);
}
const defaultLevel = Number(opt.level ?? 1);
const levels = builds.map((b) => (b.includes('@') ? Number(b.split('@')[1]) : defaultLevel));
for (let i = 0; i < builds.length; i++) builds[i] = builds[i].split('@')[0];
const rounds = Number(opt.rounds ?? 3);
const which = opt.files ?? 'text';
const dir = opt.dir ?? EVAL_DIR;

function listFiles(d) {
  const out = [];
  for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile() && !e.name.endsWith('.tsv') && !e.name.endsWith('.md')) out.push(p);
  }
  return out;
}
const isText = (b) => {
  let n = 0;
  for (const c of b) if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0xc2) n++;
  return n / Math.max(1, b.length) > 0.97;
};
const files = listFiles(dir)
  .map((f) => ({ f, d: fs.readFileSync(f) }))
  .filter(({ f, d }) => (opt.only ? opt.only.split(',').includes(path.basename(f)) : which === 'all' || (which === 'text') === isText(d)));
const total = files.reduce((s, x) => s + x.d.length, 0);

async function load(wasmPath, idx) {
  const level = levels[idx];
  const letter = String.fromCharCode(97 + idx);
  const lm = opt['lm-' + letter];
  const prior = opt['prior-' + letter];
  return kolmo({
    wasm: wasmPath,
    levels: [level],
    bundle: lm ? modelBundle(lm) : undefined,
    priors: prior ? { [level]: prior } : {},
    frame: Math.max(...files.map((x) => x.d.length)),
  });
}
const inst = [];
for (let i = 0; i < builds.length; i++) inst.push(await load(builds[i], i));
const res = builds.map(() => ({ enc: [], dec: [], encW: [], decW: [], bytes: 0, per: {}, minE: {}, minD: {} }));
// Interleaved per file (build order alternating), so load from other processes hits all builds alike.
for (let r = 0; r < rounds; r++) {
  const acc = builds.map(() => ({ encMs: 0, decMs: 0, encW: 0, decW: 0, bytes: 0 }));
  files.forEach(({ f, d }, fi) => {
    for (let k = 0; k < builds.length; k++) {
      const b = (r + fi) % 2 ? builds.length - 1 - k : k;
      const e = inst[b];
      const a = acc[b];
      const level = levels[b];
      let t = cpuMs(), w = performance.now();
      const len = encodeFrame(e, level, d);
      const te = cpuMs() - t;
      a.encMs += te; a.encW += performance.now() - w;
      res[b].minE[f] = Math.min(res[b].minE[f] ?? Infinity, te);
      if (len < 0) { a.bytes += d.length; continue; }
      const p = payload(e, len);
      a.bytes += len;
      res[b].per[path.basename(f)] = len;
      t = cpuMs(); w = performance.now();
      const back = decodeFrame(e, level, p, d.length);
      const td = cpuMs() - t;
      a.decMs += td; a.decW += performance.now() - w;
      res[b].minD[f] = Math.min(res[b].minD[f] ?? Infinity, td);
      if (Buffer.compare(back, d) !== 0) throw new Error(`${builds[b]}: round trip failed on ${f}`);
    }
  });
  acc.forEach((a, b) => {
    res[b].enc.push(total / 1024 / (a.encMs / 1000));
    res[b].dec.push(total / 1024 / (a.decMs / 1000));
    res[b].encW.push(total / 1024 / (a.encW / 1000));
    res[b].decW.push(total / 1024 / (a.decW / 1000));
    res[b].bytes = a.bytes;
  });
}
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
console.log(`levels ${levels.join(', ')}, ${files.length} ${opt.only ? 'chosen' : which} files, ${total} bytes, ${rounds} rounds (KB/s per CPU-second, median; wall in brackets)`);
for (let b = 0; b < builds.length; b++) {
  const r = res[b];
  const sum = (o) => Object.values(o).reduce((x, y) => x + y, 0);
  const minE = total / 1024 / (sum(r.minE) / 1000), minD = total / 1024 / (sum(r.minD) / 1000);
  r.mins = [minE, minD];
  const rel = b ? `  x${(med(r.enc.map((v, i) => v / res[0].enc[i]))).toFixed(3)} / x${(med(r.dec.map((v, i) => v / res[0].dec[i]))).toFixed(3)} vs first; best-per-file ${(minE / res[0].mins[0]).toFixed(3)} / ${(minD / res[0].mins[1]).toFixed(3)}` : '';
  console.log(`${(builds[b] + '@' + levels[b]).padEnd(30)} ${String(r.bytes).padStart(9)} B ${(r.bytes * 8 / total).toFixed(4)} bpb  best ${minE.toFixed(0)} / ${minD.toFixed(0)}  comp ${med(r.enc).toFixed(0)} [${med(r.encW).toFixed(0)}]  dec ${med(r.dec).toFixed(0)} [${med(r.decW).toFixed(0)}]   all: ${r.enc.map((x) => x.toFixed(0)).join(' ')} / ${r.dec.map((x) => x.toFixed(0)).join(' ')}${rel}`);
}
if (opt.per) for (const k of Object.keys(res[0].per)) console.log(k.padEnd(16), res.map((r) => String(r.per[k]).padStart(8)).join(' '));
