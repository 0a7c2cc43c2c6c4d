// Where level 3's bits go on 4 KB slices (from the middle of eval files): each
// byte is grouped by the longest earlier match of its context within the slice (0, 1-3,
// 4-7, 8-15, 16+ bytes; the most recent occurrence wins ties) and whether the byte that
// followed that match is the byte coded (hit) or not (miss). Needs `npm run build`.
//   node tools/where-bits.mjs [calgary/progp canterbury/cp.html ...]   (paths under ../shared/corpus/eval)
import fs from 'node:fs';
import path from 'node:path';
import { measure } from '../dist/index.js';
import { EVAL_DIR } from './harness.mjs';

const names = process.argv.slice(2);
const files = names.length ? names : ['calgary/progp', 'calgary/progl', 'canterbury/cp.html', 'calgary/news', 'calgary/progc',
  'canterbury/fields.c', 'calgary/bib', 'calgary/book1', 'canterbury/alice29.txt'];
const all = {};
for (const f of files) {
  const d = fs.readFileSync(path.join(EVAL_DIR, f));
  const s = d.subarray(d.length >> 1, (d.length >> 1) + 4096);
  const bits = measure(s, { level: 3 }).bits;
  const per = {};
  for (let i = 0; i < s.length; i++) {
    let best = 0;
    let predicted = -1;
    for (let j = i - 1; j >= 1; j--) {
      let k = 0;
      while (k < j && k < 64 && s[j - 1 - k] === s[i - 1 - k]) k++;
      if (k > best) {
        best = k;
        predicted = s[j];
      }
    }
    const group = best === 0 ? '0' : best < 4 ? '1-3' : best < 8 ? '4-7' : best < 16 ? '8-15' : '16+';
    const key = group + (best ? (predicted === s[i] ? ' hit' : ' miss') : '');
    for (const t of [per, all]) {
      const c = (t[key] ??= [0, 0]);
      c[0]++;
      c[1] += bits[i];
    }
  }
  const total = bits.reduce((a, b) => a + b, 0) / 8;
  console.log(f.padEnd(24), total.toFixed(0), 'B', Object.entries(per).sort().map(([k, [n, b]]) => `${k}: ${n}/${(b / 8).toFixed(0)} B`).join('  '));
}
console.log('\nall slices (bytes of input / bytes of output, bits per byte):');
for (const [k, [n, b]] of Object.entries(all).sort()) console.log(`  ${k.padEnd(10)} ${String(n).padStart(6)} ${(b / 8).toFixed(0).padStart(6)} B  ${(b / n).toFixed(2)}`);
