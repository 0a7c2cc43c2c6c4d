// Turns `kolmo bench` output (stdin) into the compact tables of the README:
// bits per byte per file and codec, the totals with speed and memory, and the small-input table.
//   node bin/kolmo.cjs bench > bench.txt && node tools/table.mjs < bench.txt
import fs from 'node:fs';

const lines = fs.readFileSync(0, 'utf8').split('\n');
const rows = [];
let section = 'files';
for (const l of lines) {
  if (l.startsWith('Totals')) section = 'totals';
  if (l.startsWith('Small inputs')) section = 'small';
  const cells = l.split('|').slice(1, -1).map((c) => c.trim());
  if (cells.length < 5 || cells[0].startsWith('-') || cells[0] === 'file' || cells[0] === 'set' || cells[0] === 'slice') continue;
  rows.push({ section, cells });
}
const codecs = [...new Set(rows.filter((r) => r.section === 'files').map((r) => r.cells[2]))];
const out = [];
out.push(`| file | bytes | ${codecs.join(' | ')} |`, `|---|---:|${codecs.map(() => '---:').join('|')}|`);
const files = [...new Set(rows.filter((r) => r.section === 'files').map((r) => r.cells[0]))];
for (const f of files) {
  const r = rows.filter((x) => x.section === 'files' && x.cells[0] === f);
  out.push(`| ${f} | ${r[0].cells[1]} | ${codecs.map((c) => r.find((x) => x.cells[2] === c)?.cells[3] ?? '-').join(' | ')} |`);
}
out.push('', '| set | codec | bpb | vs xz -9e | compress KB/s (wall / per CPU-s) | decompress KB/s (wall / per CPU-s) | peak MB |', '|---|---|---:|---:|---:|---:|---:|');
for (const r of rows.filter((x) => x.section === 'totals')) {
  const c = r.cells;
  out.push(`| ${c[0]} (${c[1]} B) | ${c[2]} | ${c[3]} | ${c[9]} | ${c[4]} / ${c[6]} | ${c[5]} / ${c[7]} | ${c[8]} |`);
}
out.push('', '| slices | count | codec | bytes | bpb | vs xz -9e |', '|---|---:|---|---:|---:|---:|');
for (const r of rows.filter((x) => x.section === 'small')) out.push(`| ${r.cells.join(' | ')} |`);
console.log(out.join('\n'));
