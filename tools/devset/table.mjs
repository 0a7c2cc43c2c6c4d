// The development set's table (issue 15): every file of tools/devset/manifest.tsv through
// xz -9e, brotli -q 11, zstd -19 --long, zpaq -m5 (Debian's command-line tools) and kolmo's
// levels (bin/kolmo.cjs, so dist/ must be built), in bytes and bits per byte, with per-kind
// totals.
//
//   sh tools/devset/build.sh                   # the files, in build/devset
//   node tools/devset/table.mjs [--dir DIR] [--levels 1,2,3] [--l3-kinds K,...] [--only NAME,...]
//                               [--codecs xz,brotli,zstd,zpaq] [--verify] [--tsv OUT.tsv]
//   node tools/devset/table.mjs --from results.tsv   # the markdown tables again, from saved results
//   node tools/devset/table.mjs --compare BEFORE.tsv[,MORE.tsv] AFTER.tsv
//                               # kolmo's levels before and after, by kind (bpb) and by file
//                               # (level 2 bytes); a file in several BEFORE files: the first's
//
// --l3-kinds limits level 3 to files of those kinds. --verify decompresses every kolmo stream
// and compares it with the file. --tsv writes the raw results: one line per file and codec with
// the compressed bytes, wall and CPU seconds (user + system, all threads, from /usr/bin/time)
// and peak RSS. Sizes are whole streams: kolmo's container, xz's and zstd's headers, and a zpaq
// archive holding the one file (its name and date add about 100 bytes). A missing tool is left
// out of the table, with a line on stderr. The markdown goes to stdout.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const list = (s) => (s ? s.split(',').filter(Boolean) : null);

/** The manifest's entries: { name, kind, package, version, path, size }. */
function manifest() {
  const lines = fs.readFileSync(path.join(here, 'manifest.tsv'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  const head = lines[0].split('\t');
  return lines.slice(1).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [head[i], v])));
}

const KOLMO = path.join(root, 'bin/kolmo.cjs');
const CODECS = {
  xz: { label: 'xz -9e', tool: 'xz', cmd: (f) => ['xz', ['-9e', '-T1', '-c', f]] },
  brotli: { label: 'brotli -q 11', tool: 'brotli', cmd: (f) => ['brotli', ['-q', '11', '-c', f]] },
  zstd: { label: 'zstd -19 --long', tool: 'zstd', cmd: (f) => ['zstd', ['-19', '--long', '-q', '-c', f]] },
  zpaq: { label: 'zpaq -m5', tool: 'zpaq', archive: true },
};

const have = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Runs cmd, returns { out: Buffer, wall, cpu, rssKb } (timings null without /usr/bin/time). */
function timed(cmd, argv, opts = {}) {
  const tf = path.join(os.tmpdir(), `devset-time-${process.pid}`);
  const r = TIME
    ? spawnSync(TIME, ['-f', '%e %U %S %M', '-o', tf, cmd, ...argv], { maxBuffer: 1 << 30, ...opts })
    : spawnSync(cmd, argv, { maxBuffer: 1 << 30, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  let wall = null, cpu = null, rssKb = null;
  if (TIME) {
    const [e, u, s, m] = fs.readFileSync(tf, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    fs.rmSync(tf);
    [wall, cpu, rssKb] = [e, u + s, m];
  }
  return { out: r.stdout, wall, cpu, rssKb };
}

function runCodec(key, file) {
  if (key.startsWith('kolmo')) {
    const level = key.slice(7);
    const r = timed(process.execPath, [KOLMO, '-l', level, '-c', file]);
    if (args.includes('--verify')) {
      const d = spawnSync(process.execPath, [KOLMO, '-d', '-c'], { input: r.out, maxBuffer: 1 << 30 });
      if (d.status !== 0 || !d.stdout.equals(fs.readFileSync(file))) throw new Error(`${key} round trip of ${file} failed`);
    }
    return { ...r, bytes: r.out.length };
  }
  const c = CODECS[key];
  if (c.archive) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devset-zpaq-'));
    const r = timed('zpaq', ['a', path.join(dir, 'a.zpaq'), path.basename(file), '-m5'], { cwd: path.dirname(file) });
    const bytes = fs.statSync(path.join(dir, 'a.zpaq')).size;
    fs.rmSync(dir, { recursive: true });
    return { ...r, bytes };
  }
  const [cmd, argv] = c.cmd(file);
  const r = timed(cmd, argv);
  return { ...r, bytes: r.out.length };
}

const label = (key) => (key.startsWith('kolmo') ? `kolmo -l ${key.slice(7)}` : CODECS[key].label);
const bpb = (bytes, raw) => ((bytes * 8) / raw).toFixed(3);
const num = (n) => n.toLocaleString('en-US');

/** Markdown: bits per byte per file (best in bold), then per-kind totals in bytes and bpb. */
function markdown(results) {
  const files = [...new Map(results.map((r) => [r.file, r])).values()];
  const codecs = [...new Set(results.map((r) => r.codec))];
  const get = (file, codec) => results.find((r) => r.file === file && r.codec === codec);
  const out = [];
  out.push(`| file | kind | bytes | ${codecs.map(label).join(' | ')} |`, `|---|---|---:|${codecs.map(() => '---:').join('|')}|`);
  for (const f of files) {
    const cells = codecs.map((c) => get(f.file, c));
    const best = Math.min(...cells.filter(Boolean).map((r) => r.bytes));
    const show = (r) => (!r ? '–' : r.bytes === best ? `**${bpb(r.bytes, f.raw)}**` : bpb(r.bytes, f.raw));
    out.push(`| ${f.file} | ${f.kind} | ${num(f.raw)} | ${cells.map(show).join(' | ')} |`);
  }
  const kinds = [...new Set(files.map((f) => f.kind))];
  const sets = [...kinds.map((k) => [k, files.filter((f) => f.kind === k)]), ['all but large', files.filter((f) => f.kind !== 'large')], ['all', files]];
  out.push('', `| kind | files | bytes | ${codecs.map(label).join(' | ')} |`, `|---|---:|---:|${codecs.map(() => '---:').join('|')}|`);
  for (const [name, fs_] of sets) {
    const raw = fs_.reduce((s, f) => s + f.raw, 0);
    const cells = codecs.map((c) => {
      const rs = fs_.map((f) => get(f.file, c));
      if (rs.some((r) => !r)) return '–';
      const b = rs.reduce((s, r) => s + r.bytes, 0);
      return `${num(b)} (${bpb(b, raw)})`;
    });
    out.push(`| ${name} | ${fs_.length} | ${num(raw)} | ${cells.join(' | ')} |`);
  }
  const cpu = codecs.map((c) => {
    const rs = results.filter((r) => r.codec === c && r.cpu != null);
    const raw = rs.reduce((s, r) => s + r.raw, 0);
    const t = rs.reduce((s, r) => s + r.cpu, 0);
    return rs.length ? `${num(Math.round(raw / 1024 / t))}` : '–';
  });
  out.push(`| KB per CPU-second (compress) | | | ${cpu.join(' | ')} |`);
  return out.join('\n');
}

const HEAD = ['file', 'kind', 'raw', 'codec', 'bytes', 'bpb', 'wall_s', 'cpu_s', 'peak_kb'];

/** The results saved in a --tsv file. */
function readResults(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  const head = lines[0].split('\t');
  return lines.slice(1).map((l) => {
    const o = Object.fromEntries(l.split('\t').map((v, i) => [head[i], v]));
    return { ...o, raw: Number(o.raw), bytes: Number(o.bytes), cpu: o.cpu_s === '' ? null : Number(o.cpu_s) };
  });
}

/** kolmo's levels before and after, by kind and by file (markdown). */
function comparison(before, after) {
  const levels = [...new Set(after.map((r) => r.codec))].filter((c) => c.startsWith('kolmo-l'));
  const files = [...new Map(after.map((r) => [r.file, { file: r.file, kind: r.kind, raw: r.raw }])).values()];
  const find = (rs, file, codec) => rs.find((r) => r.file === file && r.codec === codec);
  const change = (b, a) => `${a < b ? '−' : '+'}${(Math.abs(a - b) / b * 100).toFixed(1)} %`;
  const out = [`| kind | raw | ${levels.map((l) => `${l.slice(6)} before | ${l.slice(6)} after | change`).join(' | ')} |`,
    `|---|---:|${levels.map(() => '---:|---:|---:').join('|')}|`];
  const kinds = [...new Set(files.map((f) => f.kind))];
  for (const [name, fs_] of [...kinds.map((k) => [k, files.filter((f) => f.kind === k)]), ['all but large', files.filter((f) => f.kind !== 'large')]]) {
    const raw = fs_.reduce((s, f) => s + f.raw, 0);
    const cells = levels.map((l) => {
      const b = fs_.map((f) => find(before, f.file, l));
      const a = fs_.map((f) => find(after, f.file, l));
      if (b.some((r) => !r) || a.some((r) => !r)) return '– | – | –';
      const sb = b.reduce((s, r) => s + r.bytes, 0);
      const sa = a.reduce((s, r) => s + r.bytes, 0);
      return `${bpb(sb, raw)} | ${bpb(sa, raw)} | ${change(sb, sa)}`;
    });
    out.push(`| ${name} | ${num(raw)} | ${cells.join(' | ')} |`);
  }
  const l2 = levels.includes('kolmo-l2') ? 'kolmo-l2' : levels[0];
  out.push('', `| file | kind | ${l2.slice(6)} before | ${l2.slice(6)} after | change |`, '|---|---|---:|---:|---:|');
  for (const f of files) {
    const b = find(before, f.file, l2);
    const a = find(after, f.file, l2);
    if (b && a) out.push(`| ${f.file} | ${f.kind} | ${num(b.bytes)} | ${num(a.bytes)} | ${change(b.bytes, a.bytes)} |`);
  }
  return out.join('\n');
}

if (opt('--from')) {
  console.log(markdown(readResults(opt('--from'))));
  process.exit(0);
}
if (opt('--compare')) {
  const i = args.indexOf('--compare');
  // the first BEFORE file that has a file's result wins
  const before = [];
  for (const f of args[i + 1].split(',')) {
    for (const r of readResults(f)) if (!before.some((b) => b.file === r.file && b.codec === r.codec)) before.push(r);
  }
  console.log(comparison(before, readResults(args[i + 2])));
  process.exit(0);
}

const dir = path.resolve(opt('--dir', process.env.KOLMO_DEVSET || path.join(root, 'build/devset')));
const levels = list(opt('--levels', '1,2,3'));
const l3Kinds = list(opt('--l3-kinds'));
const only = list(opt('--only'));
const codecKeys = (list(opt('--codecs', 'xz,brotli,zstd,zpaq')) ?? []).filter((k) => {
  if (!CODECS[k]) throw new Error(`unknown codec ${k}`);
  if (have(CODECS[k].tool)) return true;
  console.error(`${CODECS[k].tool} is not installed: left out`);
  return false;
});
if (!fs.existsSync(path.join(root, 'dist/cli.cjs'))) throw new Error('dist/ is missing: npm run build');

const entries = manifest().filter((e) => !only || only.includes(e.name));
const results = [];
const t0 = Date.now();
for (const e of entries) {
  const file = path.join(dir, e.name);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: sh tools/devset/build.sh ${dir}`);
  const raw = fs.statSync(file).size;
  if (raw !== Number(e.size)) throw new Error(`${file} has ${raw} bytes, the manifest ${e.size}: rebuild the set`);
  const keys = [...codecKeys, ...levels.filter((l) => l !== '3' || !l3Kinds || l3Kinds.includes(e.kind)).map((l) => `kolmo-l${l}`)];
  for (const key of keys) {
    const r = runCodec(key, file);
    results.push({ file: e.name, kind: e.kind, raw, codec: key, bytes: r.bytes, wall: r.wall, cpu: r.cpu, rssKb: r.rssKb });
    console.error(`${e.name.padEnd(24)} ${label(key).padEnd(16)} ${String(r.bytes).padStart(9)} ${bpb(r.bytes, raw)} bpb  ${r.cpu?.toFixed(2) ?? '-'} CPU-s`);
  }
}
console.error(`total ${((Date.now() - t0) / 1000).toFixed(0)} s wall`);
const tsv = opt('--tsv');
if (tsv) {
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).stdout.toString().trim();
  const meta = `# kolmo devset results: ${new Date().toISOString().slice(0, 10)}, commit ${commit}, node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`;
  const rows = results.map((r) => [r.file, r.kind, r.raw, r.codec, r.bytes, bpb(r.bytes, r.raw), r.wall ?? '', r.cpu?.toFixed(2) ?? '', r.rssKb ?? ''].join('\t'));
  fs.writeFileSync(tsv, [meta, HEAD.join('\t'), ...rows].join('\n') + '\n');
}
console.log(markdown(results));
