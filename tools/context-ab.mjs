// A/B of predictor builds on three small sets: structured text and code (15 files of the
// development set), text (6 Calgary and Canterbury files) and binaries (4 files), payload
// bytes per file and per set, one frame each. The quick check for a context or mixer change.
//
//   node tools/context-ab.mjs [--level 2] [--priors] [--ablate BITS] A.wasm [B.wasm ...]
//
// Without --priors every build starts from a fresh state (ABLATE_PRIOR): builds whose prior
// layouts differ compare fairly before their priors are remade. With --priors each build
// loads models/kolmo-prior-l<level>.bin, or the file PRIOR_<letter> names (PRIOR_A=...,
// PRIOR_B=...). --ablate adds predictor ABLATE_* bits (assembly/predictor.ts) to every build.
// Needs build/devset (sh tools/devset/build.sh) and ../shared/corpus/eval.
import fs from 'node:fs';
import path from 'node:path';
import { EVAL_DIR, encodeFrame, kolmo, root } from './harness.mjs';

const SETS = {
  structured: ['fertility.csv', 'fair.csv', 'anes96.tsv', 'elbv2.json', 'underscore.min.js.map', 'serviceproviders.xml',
    'evdev.xml', 'bash.html', 'public_suffix_list.dat', 'mime.types', 'sshd.log', 'libatomic.log', 'stb_image.h',
    'underscore.js', 'mlemodel.py'].map((f) => path.join(root, 'build/devset', f)),
  text: ['canterbury/alice29.txt', 'calgary/paper1', 'calgary/progc', 'calgary/news', 'calgary/bib', 'canterbury/cp.html']
    .map((f) => path.join(EVAL_DIR, f)),
  binary: ['calgary/geo', 'calgary/obj2', 'canterbury/kennedy.xls'].map((f) => path.join(EVAL_DIR, f))
    .concat([path.join(root, 'build/devset/sort')]),
};
const ABLATE_PRIOR = 4;

const argv = process.argv.slice(2);
const builds = [];
const opt = { level: 2, priors: false, ablate: 0 };
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--level') opt.level = Number(argv[++i]);
  else if (argv[i] === '--priors') opt.priors = true;
  else if (argv[i] === '--ablate') opt.ablate = Number(argv[++i]);
  else builds.push(argv[i]);
}
if (builds.length === 0) {
  console.error('usage: node tools/context-ab.mjs [--level 2] [--priors] [--ablate BITS] A.wasm [B.wasm ...]');
  process.exit(2);
}
for (const files of Object.values(SETS)) {
  for (const f of files) if (!fs.existsSync(f)) throw new Error(`${f} is missing (sh tools/devset/build.sh; ../shared/corpus/eval)`);
}

const results = [];
for (const [i, wasm] of builds.entries()) {
  const letter = String.fromCharCode(65 + i);
  const prior = opt.priors ? (process.env[`PRIOR_${letter}`] ?? undefined) : 'none';
  const e = await kolmo({ wasm, levels: [opt.level], priors: prior ? { [opt.level]: prior } : {}, frame: 4 << 20 });
  e.setAblation(opt.ablate | (opt.priors ? 0 : ABLATE_PRIOR));
  const sizes = {};
  for (const files of Object.values(SETS)) {
    for (const f of files) {
      const d = fs.readFileSync(f);
      const len = encodeFrame(e, opt.level, d);
      sizes[path.basename(f)] = len < 0 ? d.length : len;
    }
  }
  results.push({ wasm, sizes });
}

const base = results[0].sizes;
const pct = (a, b) => `${b >= a ? '+' : '−'}${(Math.abs(b - a) / a * 100).toFixed(2)} %`;
console.log(`level ${opt.level}, ${opt.priors ? 'with priors' : 'no priors'}${opt.ablate ? `, ablation ${opt.ablate}` : ''}; payload bytes`);
console.log(['file', ...results.map((r, i) => `${String.fromCharCode(65 + i)}: ${path.basename(r.wasm)}`)].join('\t'));
for (const [set, files] of Object.entries(SETS)) {
  for (const f of files.map((p) => path.basename(p))) {
    console.log([f, ...results.map((r, i) => (i === 0 ? `${r.sizes[f]}` : `${r.sizes[f]} (${pct(base[f], r.sizes[f])})`))].join('\t'));
  }
  const total = (s) => files.reduce((a, p) => a + s[path.basename(p)], 0);
  console.log([`${set} total`, ...results.map((r, i) => (i === 0 ? `${total(r.sizes)}` : `${total(r.sizes)} (${pct(total(base), total(r.sizes))})`))].join('\t'));
}
