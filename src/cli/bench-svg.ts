// The charts of `kolmo bench --svg DIR`, as hand-written SVG: no dependencies, and the same
// input always gives the same bytes (no dates, no random ids, numbers at fixed precision).
//
// speedChart: bits per byte (y, linear) against compress speed (x, KB per CPU-second, log 10)
//   for each measured codec, plus the published figures of PUBLISHED drawn as hollow marks.
//   The points are totals over PUBLISHED_FILES when the run has all of them, so that the
//   published marks and the measured ones describe the same bytes; otherwise over the run's
//   text files, without the published marks.
// kindChart: bits per byte of each codec (bars) for each file kind (groups), totals over the
//   files of that kind.
//
// Bits per byte are summed bits over summed input bytes; KB = 1024 bytes.

/** One codec on one file, as `kolmo bench` measures it. */
export interface CodecResult {
  bytes: number;
  /** CPU milliseconds of compression (user + system, all threads). */
  encCpuMs: number;
}

export interface FileResult {
  /** Path relative to the bench directory. */
  name: string;
  size: number;
  text: boolean;
  kind: string;
  /** By codec name, in the order the codecs ran. */
  results: Record<string, CodecResult>;
}

export interface BenchRun {
  codecs: string[];
  files: FileResult[];
}

/** A figure quoted from elsewhere: bits per byte on named files, compress KB/s on one core. */
export interface PublishedFigure {
  name: string;
  bpb: Record<string, number>;
  kbPerSec: number;
}

/**
 * Published figures, not measured by this bench: bits per byte on alice29.txt and book1, and
 * the approximate compress speed on one core (their source: docs/benchmarks.md, "Charts").
 */
export const PUBLISHED_FILES = ['alice29.txt', 'book1'];
export const PUBLISHED: PublishedFigure[] = [
  { name: 'paq8px -8', bpb: { 'alice29.txt': 1.74, book1: 1.908 }, kbPerSec: 5.5 },
  { name: 'cmix v21', bpb: { 'alice29.txt': 1.755, book1: 1.898 }, kbPerSec: 0.4 },
];

const W = 760;
const H = 460;
const FONT = 'font-family="sans-serif" font-size="12"';
const GRID = '#ddd';
const INK = '#222';
const PUBLISHED_COLOR = '#b2182b';
const KOLMO_COLORS = ['#08306b', '#2171b5', '#6baed6', '#9ecae1'];
const OTHER_COLORS = ['#7f7f7f', '#e08214', '#1b7837', '#762a83', '#8c510a', '#c51b7d'];

/** A stable colour per codec: kolmo's levels in blues, the others in turn. */
function colors(codecs: string[]): Map<string, string> {
  const m = new Map<string, string>();
  let k = 0;
  let o = 0;
  for (const c of codecs) m.set(c, c.startsWith('kolmo') ? KOLMO_COLORS[k++ % KOLMO_COLORS.length] : OTHER_COLORS[o++ % OTHER_COLORS.length]);
  return m;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Whole numbers with thousands commas, without the host's locale data. */
const thousands = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const f1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1);
const text = (x: number, y: number, s: string, extra = '') => `<text x="${f1(x)}" y="${f1(y)}"${extra ? ' ' + extra : ''}>${esc(s)}</text>`;
const line = (x1: number, y1: number, x2: number, y2: number, stroke: string, extra = '') =>
  `<line x1="${f1(x1)}" y1="${f1(y1)}" x2="${f1(x2)}" y2="${f1(y2)}" stroke="${stroke}"${extra ? ' ' + extra : ''}/>`;

function svg(title: string, subtitle: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT}>`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    text(W / 2, 22, title, 'text-anchor="middle" font-size="15" font-weight="bold"'),
    text(W / 2, 40, subtitle, 'text-anchor="middle" fill="#555"'),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** Totals of each codec over some files: bits per byte and KB per CPU-second. */
function totals(run: BenchRun, files: FileResult[]): { codec: string; bpb: number; kbPerCpuS: number }[] {
  const raw = files.reduce((s, f) => s + f.size, 0);
  return run.codecs
    .filter((c) => files.every((f) => f.results[c]))
    .map((c) => {
      const bytes = files.reduce((s, f) => s + f.results[c].bytes, 0);
      const cpuMs = files.reduce((s, f) => s + f.results[c].encCpuMs, 0);
      return { codec: c, bpb: (bytes * 8) / raw, kbPerCpuS: raw / 1024 / (cpuMs / 1000) };
    });
}

const base = (name: string) => name.split('/').pop()!;

/** Evenly spaced "nice" ticks covering lo..hi. */
function niceTicks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}

export function speedChart(run: BenchRun, published: PublishedFigure[] = PUBLISHED): string {
  const matched = PUBLISHED_FILES.map((n) => run.files.find((f) => base(f.name) === n));
  const usePublished = matched.every((f) => f !== undefined);
  const files = usePublished ? (matched as FileResult[]) : run.files.filter((f) => f.text);
  const raw = files.reduce((s, f) => s + f.size, 0);
  const color = colors(run.codecs);
  type Point = { name: string; bpb: number; speed: number; color: string; published: boolean };
  const points: Point[] = totals(run, files)
    .filter((t) => Number.isFinite(t.kbPerCpuS) && t.kbPerCpuS > 0)
    .map((t) => ({ name: t.codec, bpb: t.bpb, speed: t.kbPerCpuS, color: color.get(t.codec)!, published: false }));
  if (usePublished)
    for (const p of published) {
      const bits = files.reduce((s, f) => s + p.bpb[base(f.name)] * f.size, 0);
      points.push({ name: p.name, bpb: bits / raw, speed: p.kbPerSec, color: PUBLISHED_COLOR, published: true });
    }

  const left = 70, right = W - 150, top = 60, bottom = H - 70;
  const speeds = points.map((p) => p.speed);
  const xlo = Math.floor(Math.log10(Math.min(...speeds, 10)));
  const xhi = Math.ceil(Math.log10(Math.max(...speeds, 100)));
  const bpbs = points.map((p) => p.bpb);
  const ylo = Math.floor(Math.min(...bpbs, 2) * 4) / 4 - 0.25;
  const yhi = Math.ceil(Math.max(...bpbs, 2) * 4) / 4 + 0.25;
  const X = (kb: number) => left + ((Math.log10(kb) - xlo) / (xhi - xlo)) * (right - left);
  const Y = (bpb: number) => bottom - ((bpb - ylo) / (yhi - ylo)) * (bottom - top);

  const body: string[] = [];
  for (let e = xlo; e <= xhi; e++) {
    body.push(line(X(10 ** e), top, X(10 ** e), bottom, GRID));
    body.push(text(X(10 ** e), bottom + 16, e < 0 ? (10 ** e).toFixed(-e) : thousands(10 ** e), 'text-anchor="middle"'));
    if (e < xhi) for (let m = 2; m < 10; m++) body.push(line(X(m * 10 ** e), bottom, X(m * 10 ** e), bottom - 4, INK));
  }
  for (const v of niceTicks(ylo, yhi, 6)) {
    if (v < ylo - 1e-9 || v > yhi + 1e-9) continue;
    body.push(line(left, Y(v), right, Y(v), GRID));
    body.push(text(left - 6, Y(v) + 4, v.toFixed(2), 'text-anchor="end"'));
  }
  body.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="${INK}"/>`);
  body.push(text((left + right) / 2, H - 30, 'compress speed, KB per CPU-second (log scale; right is faster)', 'text-anchor="middle"'));
  body.push(text(18, (top + bottom) / 2, 'bits per byte (lower is better)', `text-anchor="middle" transform="rotate(-90 18 ${f1((top + bottom) / 2)})"`));

  // Marks first, then labels: each label takes the first of right, left, above, below (and
  // then further below) that overlaps no mark and no label placed before it.
  type Box = { x0: number; y0: number; x1: number; y1: number };
  const boxes: Box[] = points.map((p) => ({ x0: X(p.speed) - 7, y0: Y(p.bpb) - 7, x1: X(p.speed) + 7, y1: Y(p.bpb) + 7 }));
  const overlaps = (b: Box) => boxes.some((q) => b.x0 < q.x1 && q.x0 < b.x1 && b.y0 < q.y1 && q.y0 < b.y1);
  const sorted = [...points].sort((a, b) => a.bpb - b.bpb || a.speed - b.speed || a.name.localeCompare(b.name));
  for (const p of sorted) {
    const x = X(p.speed), y = Y(p.bpb);
    const tip = `<title>${esc(`${p.name}${p.published ? ' (published)' : ''}: ${p.bpb.toFixed(3)} bpb, ${p.speed.toFixed(1)} KB/CPU-s`)}</title>`;
    if (p.published) {
      body.push(`<path d="M${f1(x)} ${f1(y - 7)} L${f1(x + 7)} ${f1(y)} L${f1(x)} ${f1(y + 7)} L${f1(x - 7)} ${f1(y)} Z" fill="none" stroke="${p.color}" stroke-width="2" stroke-dasharray="3 2">${tip}</path>`);
    } else {
      body.push(`<circle cx="${f1(x)}" cy="${f1(y)}" r="6" fill="${p.color}">${tip}</circle>`);
    }
  }
  // Legend, right of the plot: what the two kinds of mark mean. Labels keep off it.
  boxes.push({ x0: right + 12, y0: top, x1: W, y1: top + 56 });
  body.push(`<circle cx="${right + 22}" cy="${top + 10}" r="6" fill="${INK}"/>`);
  body.push(text(right + 34, top + 14, 'measured here'));
  if (usePublished) {
    const [lx, ly] = [right + 22, top + 32];
    body.push(`<path d="M${lx} ${ly - 7} L${lx + 7} ${ly} L${lx} ${ly + 7} L${lx - 7} ${ly} Z" fill="none" stroke="${PUBLISHED_COLOR}" stroke-width="2" stroke-dasharray="3 2"/>`);
    body.push(text(right + 34, ly + 4, 'published, not', `fill="${PUBLISHED_COLOR}" font-style="italic"`));
    body.push(text(right + 34, ly + 18, 'measured here', `fill="${PUBLISHED_COLOR}" font-style="italic"`));
  }
  for (const p of sorted) {
    const x = X(p.speed), y = Y(p.bpb);
    const label = `${p.name} ${p.bpb.toFixed(3)}`;
    const w = label.length * 6.5;
    const at = (lx: number, ly: number): Box => ({ x0: lx, y0: ly - 11, x1: lx + w, y1: ly + 3 });
    const candidates = [at(x + 10, y + 4), at(x - 10 - w, y + 4)];
    for (const lx of [x - w / 2, x - 7, x + 7 - w]) candidates.push(at(lx, y - 11), at(lx, y + 20));
    for (let k = 2; k < 6; k++) candidates.push(at(x - w / 2, y + 6 + 14 * k));
    const fits = (c: Box) => c.x0 >= left + 2 && c.x1 <= W - 2 && c.y0 >= top && c.y1 <= bottom;
    const b = candidates.find((c) => fits(c) && !overlaps(c)) ?? candidates[0];
    boxes.push(b);
    body.push(text(b.x0, b.y1 - 3, label, `fill="${p.color}" stroke="#fff" stroke-width="3" paint-order="stroke"${p.published ? ' font-style="italic"' : ''}`));
  }
  const basis = usePublished
    ? `${files.map((f) => base(f.name)).join(' + ')} (${thousands(raw)} bytes): the files the published figures cover`
    : `the run's ${files.length} text files (${thousands(raw)} bytes)`;
  return svg('kolmo bench: bits per byte against compress speed', basis, body);
}

/** The groups of the kind chart, left to right; other kinds follow in name order. */
const KIND_ORDER = ['prose', 'markup', 'source code', 'other text', 'binary'];

export function kindChart(run: BenchRun): string {
  const rank = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
  const kinds = [...new Set(run.files.map((f) => f.kind))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const color = colors(run.codecs);
  const groups = kinds.map((k) => {
    const files = run.files.filter((f) => f.kind === k);
    return { kind: k, files, bars: totals(run, files) };
  });
  const left = 60, right = W - 20, top = 80, bottom = H - 70;
  const yhi = Math.max(1, Math.ceil(Math.max(0, ...groups.flatMap((g) => g.bars.map((b) => b.bpb))) * 2) / 2);
  const Y = (bpb: number) => bottom - (bpb / yhi) * (bottom - top);
  const body: string[] = [];
  for (const v of niceTicks(0, yhi, 6)) {
    if (v > yhi + 1e-9) continue;
    body.push(line(left, Y(v), right, Y(v), GRID));
    body.push(text(left - 6, Y(v) + 4, v.toFixed(1), 'text-anchor="end"'));
  }
  const groupW = (right - left) / Math.max(1, groups.length);
  const barW = (groupW * 0.8) / Math.max(1, run.codecs.length);
  groups.forEach((g, gi) => {
    const x0 = left + gi * groupW + groupW * 0.1;
    run.codecs.forEach((c, ci) => {
      const b = g.bars.find((t) => t.codec === c);
      if (!b) return;
      const x = x0 + ci * barW;
      body.push(`<rect x="${f1(x)}" y="${f1(Y(b.bpb))}" width="${f1(barW - 1)}" height="${f1(bottom - Y(b.bpb))}" fill="${color.get(c)}"><title>${esc(`${g.kind}, ${c}: ${b.bpb.toFixed(3)} bpb`)}</title></rect>`);
    });
    const bytes = g.files.reduce((s, f) => s + f.size, 0);
    body.push(text(left + (gi + 0.5) * groupW, bottom + 16, g.kind, 'text-anchor="middle"'));
    body.push(text(left + (gi + 0.5) * groupW, bottom + 30, `${g.files.length} file${g.files.length === 1 ? '' : 's'}, ${thousands(bytes / 1024)} KB`, 'text-anchor="middle" fill="#555"'));
  });
  body.push(line(left, bottom, right, bottom, INK));
  body.push(text(18, (top + bottom) / 2, 'bits per byte (lower is better)', `text-anchor="middle" transform="rotate(-90 18 ${f1((top + bottom) / 2)})"`));
  // Legend: one swatch per codec, in run order, across the top.
  const step = (right - left) / Math.max(1, run.codecs.length);
  run.codecs.forEach((c, i) => {
    const x = left + i * step;
    body.push(`<rect x="${f1(x)}" y="52" width="12" height="12" fill="${color.get(c)}"/>`);
    body.push(text(x + 16, 62, c));
  });
  const raw = run.files.reduce((s, f) => s + f.size, 0);
  return svg('kolmo bench: bits per byte by file kind', `${run.files.length} files, ${thousands(raw)} bytes; totals over the files of each kind`, body);
}
