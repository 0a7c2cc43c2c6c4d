// Sampler quality probe (issue target: at temperature 0.8 and a fixed seed, at
// least 80 % of the distinct words in 3000 sampled bytes are English dictionary
// words). Needs a word list: /usr/share/dict/words (Debian package wamerican).
//   node bench/sample-words.mjs [--seed S] [--temperature T] [--bytes N] [--level L] [--prompt TEXT] [--min-p M]
import fs from 'node:fs';
import { sample, DEFAULT_LEVEL } from '../dist/index.js';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const dictFile = args.dict ?? '/usr/share/dict/words';
if (!fs.existsSync(dictFile)) {
  console.error(`no word list at ${dictFile} (apt-get install wamerican, or pass --dict FILE)`);
  process.exit(2);
}
const dict = new Set(fs.readFileSync(dictFile, 'utf8').split('\n').map((w) => w.trim().toLowerCase()).filter(Boolean));
const opts = {
  prompt: args.prompt ?? 'The ',
  maxBytes: Number(args.bytes ?? 3000),
  temperature: Number(args.temperature ?? 0.8),
  seed: BigInt(args.seed ?? 1),
  level: Number(args.level ?? DEFAULT_LEVEL),
};
if (args['min-p'] !== undefined) opts.minP = Number(args['min-p']);
let text = '';
const t = performance.now();
for await (const chunk of sample(opts)) text += chunk;
const secs = (performance.now() - t) / 1000;
const words = new Set((text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? []));
const known = [...words].filter((w) => dict.has(w) || dict.has(w.replace(/'s$/, '')));
console.log(text);
console.log('---');
console.log(`level ${opts.level}, temperature ${opts.temperature}, minP ${opts.minP ?? 'default'}, seed ${opts.seed}: ${opts.maxBytes} bytes in ${secs.toFixed(1)} s (${(opts.maxBytes / 1024 / secs).toFixed(1)} KB/s)`);
console.log(`distinct words: ${words.size}, in the dictionary: ${known.length} (${((100 * known.length) / Math.max(1, words.size)).toFixed(1)} %)`);
