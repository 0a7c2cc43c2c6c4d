// Sampler quality probe (issue target: at temperature 0.8 and a fixed seed, at
// least 80 % of the distinct words in 3000 sampled bytes are English dictionary
// words). Needs a word list: /usr/share/dict/words (Debian package wamerican).
//   node tools/sample-words.mjs [--seed S | --seeds N] [--temperature T] [--bytes N] [--level L]
//                               [--prompt TEXT] [--min-p M] [--top-p P] [--top-k K]
// --seed S prints the text and its count; --seeds N runs seeds 1..N and prints one line per
// seed and a summary (mean, median, lowest, how many reach 80 %).
// Repetition: the share of the text's 4-word sequences that already occurred earlier in it
// (0 % = no 4 words repeated; a sampler stuck in a loop approaches 100 %).
import fs from 'node:fs';
import { sample, BEST_LEVEL } from '../dist/index.js';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const dictFile = args.dict ?? '/usr/share/dict/words';
if (!fs.existsSync(dictFile)) {
  console.error(`no word list at ${dictFile} (apt-get install wamerican, or pass --dict FILE)`);
  process.exit(2);
}
const dict = new Set(fs.readFileSync(dictFile, 'utf8').split('\n').map((w) => w.trim().toLowerCase()).filter(Boolean));
const base = {
  prompt: args.prompt ?? 'The ',
  maxBytes: Number(args.bytes ?? 3000),
  temperature: Number(args.temperature ?? 0.8),
  level: Number(args.level ?? BEST_LEVEL),
};
if (args['min-p'] !== undefined) base.minP = Number(args['min-p']);
if (args['top-p'] !== undefined) base.topP = Number(args['top-p']);
if (args['top-k'] !== undefined) base.topK = Number(args['top-k']);
const settings = `level ${base.level}, temperature ${base.temperature}, minP ${base.minP ?? 'default'}, topP ${base.topP ?? 1}, topK ${base.topK ?? 0}, prompt ${JSON.stringify(base.prompt)}`;

/** Samples with one seed: the text, its distinct words and how many the dictionary has. */
async function run(seed) {
  let text = '';
  const t = performance.now();
  for await (const chunk of sample({ ...base, seed: BigInt(seed) })) text += chunk;
  const secs = (performance.now() - t) / 1000;
  const words = new Set(text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? []);
  const known = [...words].filter((w) => dict.has(w) || dict.has(w.replace(/'s$/, '')));
  return { text, secs, words: words.size, known: known.length, percent: (100 * known.length) / Math.max(1, words.size), repeated: repeatedShare(text) };
}

/** Percent of the 4-word sequences (lower-cased words) that occurred earlier in the text. */
function repeatedShare(text) {
  const w = text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
  const seen = new Set();
  let grams = 0;
  let repeats = 0;
  for (let i = 0; i + 4 <= w.length; i++) {
    const g = w.slice(i, i + 4).join(' ');
    grams++;
    if (seen.has(g)) repeats++;
    else seen.add(g);
  }
  return grams ? (100 * repeats) / grams : 0;
}

if (args.seeds === undefined) {
  const seed = args.seed ?? 1;
  const r = await run(seed);
  console.log(r.text);
  console.log('---');
  console.log(`${settings}, seed ${seed}: ${base.maxBytes} bytes in ${r.secs.toFixed(1)} s (${(base.maxBytes / 1024 / r.secs).toFixed(1)} KB/s)`);
  console.log(`distinct words: ${r.words}, in the dictionary: ${r.known} (${r.percent.toFixed(1)} %); repeated 4-word sequences: ${r.repeated.toFixed(1)} %`);
} else {
  const n = Number(args.seeds);
  const percents = [];
  const repeats = [];
  for (let seed = 1; seed <= n; seed++) {
    const r = await run(seed);
    percents.push(r.percent);
    repeats.push(r.repeated);
    console.log(`seed ${seed}: ${r.known} of ${r.words} distinct words in the dictionary (${r.percent.toFixed(1)} %), repeated 4-word sequences ${r.repeated.toFixed(1)} %`);
  }
  const sorted = [...percents].sort((a, b) => a - b);
  const mean = percents.reduce((a, b) => a + b, 0) / n;
  const median = n % 2 ? sorted[n >> 1] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  console.log(`${settings}, ${base.maxBytes} bytes, seeds 1-${n}: mean ${mean.toFixed(1)} %, median ${median.toFixed(1)} %, lowest ${sorted[0].toFixed(1)} %, ${percents.filter((p) => p >= 80).length} of ${n} seeds reach 80 %; repeated 4-word sequences: mean ${(repeats.reduce((a, b) => a + b, 0) / n).toFixed(1)} %, highest ${Math.max(...repeats).toFixed(1)} %`);
}
