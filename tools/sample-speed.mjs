// Sampling speed against decompression speed at the same level (issue target: sampling is
// at least as fast as the default level's decompression). Generates N bytes, then
// compresses that text and times its decompression; both on this thread, CPU time.
//   node tools/sample-speed.mjs [--bytes N=30000] [--level L] [--seed S] [--min-p M] [--top-p P] [--prompt TEXT] [--rounds R=5]
import { sampleBytes, compressSync, decompressSync, BEST_LEVEL } from '../dist/index.js';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const n = Number(args.bytes ?? 30000);
const level = Number(args.level ?? BEST_LEVEL);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const opts = { prompt: 'The ', maxBytes: n, temperature: 0.8, seed: BigInt(args.seed ?? 1), level };
if (args['min-p'] !== undefined) opts.minP = Number(args['min-p']);
if (args['top-p'] !== undefined) opts.topP = Number(args['top-p']);
if (args.prompt !== undefined) opts.prompt = args.prompt;
// warm-up (module compile, model load, JIT tiers) on both paths
for await (const _ of sampleBytes({ ...opts, maxBytes: 2000 })) { /* discard */ }
decompressSync(compressSync(new Uint8Array(2000).fill(97), { level }));

// Alternate the two (sampling, then decompressing the sampled text) over several rounds and
// take medians: this VM's speed drifts by tens of percent within a minute.
const rounds = Number(args.rounds ?? 5);
const sampleTimes = [];
const decTimes = [];
let text;
for (let r = 0; r < rounds; r++) {
  let t = cpu();
  const parts = [];
  for await (const c of sampleBytes(opts)) parts.push(c);
  sampleTimes.push(cpu() - t);
  text = Buffer.concat(parts);
  const packed = compressSync(text, { level });
  t = cpu();
  const back = decompressSync(packed);
  decTimes.push(cpu() - t);
  if (Buffer.compare(Buffer.from(back), text) !== 0) throw new Error('round trip failed');
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const sampleS = median(sampleTimes);
const decS = median(decTimes);
const kbs = (s) => (n / 1024 / s).toFixed(1);
const roundRatios = sampleTimes.map((s, i) => decTimes[i] / s);
const ratios = roundRatios.map((r) => r.toFixed(2)).join(' ');
// The median of the per-round ratios: each round's two timings are seconds apart, so the
// VM's slow drift cancels in their ratio.
console.log(`level ${level}, ${n} bytes, temperature 0.8, minP ${opts.minP ?? 'default'}, topP ${opts.topP ?? 1}, prompt ${JSON.stringify(opts.prompt)}, ${rounds} rounds: sample ${kbs(sampleS)} KB/s, decompress ${kbs(decS)} KB/s (per CPU-second, medians); sample / decompress speed: median per round ${median(roundRatios).toFixed(2)} (per round ${ratios})`);
