// Sampling speed against decompression speed at the same level (issue target: sampling is
// at least as fast as the default level's decompression). Generates N bytes, then
// compresses that text and times its decompression; both on this thread, CPU time.
//   node bench/sample-speed.mjs [--bytes N=30000] [--level L] [--seed S] [--min-p M]
import { sampleBytes, compressSync, decompressSync, DEFAULT_LEVEL } from '../dist/index.js';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const n = Number(args.bytes ?? 30000);
const level = Number(args.level ?? DEFAULT_LEVEL);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const opts = { prompt: 'The ', maxBytes: n, temperature: 0.8, seed: BigInt(args.seed ?? 1), level };
if (args['min-p'] !== undefined) opts.minP = Number(args['min-p']);
// warm-up (module compile, model load, JIT tiers) on both paths
for await (const _ of sampleBytes({ ...opts, maxBytes: 2000 })) { /* discard */ }
decompressSync(compressSync(new Uint8Array(2000).fill(97), { level }));

let t = cpu();
const parts = [];
for await (const c of sampleBytes(opts)) parts.push(c);
const sampleS = cpu() - t;
const text = Buffer.concat(parts);
const packed = compressSync(text, { level });
t = cpu();
const back = decompressSync(packed);
const decS = cpu() - t;
if (Buffer.compare(Buffer.from(back), text) !== 0) throw new Error('round trip failed');
const kbs = (s) => (n / 1024 / s).toFixed(1);
console.log(`level ${level}, ${n} bytes, temperature 0.8, minP ${opts.minP ?? 'default'}: sample ${kbs(sampleS)} KB/s, decompress ${kbs(decS)} KB/s (per CPU-second; ratio ${(decS / sampleS).toFixed(2)})`);
