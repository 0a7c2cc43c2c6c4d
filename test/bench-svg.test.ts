// The bench charts (src/cli/bench-svg.ts) on a small synthetic run: well-formed XML, every series
// present, the published marks only when their files are in the run, the same bytes twice.
import { describe, expect, it } from 'vitest';
import { kindChart, PUBLISHED, speedChart, type BenchRun } from '../src/cli/bench-svg.js';
import { fileKind } from '../src/cli/commands/bench.js';

const CODECS = ['kolmo-l1', 'kolmo-l2', 'gzip-9', 'xz-9e'];

/** bpb and KB per CPU-second per codec, the same on every file: easy totals to check. */
const RATE: Record<string, [number, number]> = { 'kolmo-l1': [2, 1000], 'kolmo-l2': [1.75, 250], 'gzip-9': [2.9, 25000], 'xz-9e': [2.5, 2000] };

function file(name: string, size: number, kind: string, text = true): BenchRun['files'][number] {
  const results: Record<string, { bytes: number; encCpuMs: number }> = {};
  for (const c of CODECS) results[c] = { bytes: (size * RATE[c][0]) / 8, encCpuMs: ((size / 1024) * 1000) / RATE[c][1] };
  return { name, size, text, kind, results };
}

const RUN: BenchRun = {
  codecs: CODECS,
  files: [
    file('canterbury/alice29.txt', 152089, 'prose'),
    file('calgary/book1', 768771, 'prose'),
    file('calgary/progc', 39611, 'source code'),
    file('calgary/pic', 513216, 'binary', false),
  ],
};

/** A small well-formedness check: one root, tags nest and close, attributes quoted, entities known. */
function checkXml(s: string): void {
  const stack: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const textPart = s.slice(i, lt < 0 ? s.length : lt);
    expect(textPart.replace(/&(amp|lt|gt|quot|apos);/g, ''), 'bare & or > in text').not.toMatch(/[&>]/);
    if (lt < 0) break;
    if (stack.length === 0) expect(textPart.trim(), 'text outside the root').toBe('');
    tag.lastIndex = lt;
    const m = tag.exec(s);
    expect(m, `bad tag at ${lt}: ${s.slice(lt, lt + 40)}`).not.toBeNull();
    const [whole, close, name, , selfClose] = m!;
    if (close) expect(stack.pop(), `</${name}> closes the wrong element`).toBe(name);
    else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
    i = lt + whole.length;
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

const titles = (svg: string) => [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);

describe('bench charts', () => {
  it('speed chart: valid SVG, every codec and the published figures on the files they cover', () => {
    const svg = speedChart(RUN);
    checkXml(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const t = titles(svg);
    // Totals over alice29.txt + book1 only: the same bpb and speed as every file here.
    for (const c of CODECS) expect(t).toContain(`${c}: ${RATE[c][0].toFixed(3)} bpb, ${RATE[c][1].toFixed(1)} KB/CPU-s`);
    for (const p of PUBLISHED) {
      const bpb = (p.bpb['alice29.txt'] * 152089 + p.bpb.book1 * 768771) / (152089 + 768771);
      expect(t).toContain(`${p.name} (published): ${bpb.toFixed(3)} bpb, ${p.kbPerSec.toFixed(1)} KB/CPU-s`);
    }
    expect(svg).toContain('alice29.txt + book1 (920,860 bytes)');
    expect(svg).toContain('the files the published figures cover');
    expect(svg).toContain('published, not');
    expect(speedChart(RUN)).toBe(svg);
  });

  it('speed chart without the published files: the text files, no published marks', () => {
    const run = { ...RUN, files: RUN.files.filter((f) => !f.name.endsWith('book1')) };
    const svg = speedChart(run);
    checkXml(svg);
    expect(svg).not.toContain('published');
    expect(svg).toContain("the run's 2 text files (191,700 bytes)");
    for (const c of CODECS) expect(titles(svg).some((x) => x.startsWith(`${c}: ${RATE[c][0].toFixed(3)} bpb`))).toBe(true);
  });

  it('kind chart: valid SVG, one bar per codec and kind, in a group per kind', () => {
    const svg = kindChart(RUN);
    checkXml(svg);
    const t = titles(svg);
    for (const k of ['prose', 'source code', 'binary']) for (const c of CODECS) expect(t).toContain(`${k}, ${c}: ${RATE[c][0].toFixed(3)} bpb`);
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(3 * CODECS.length);
    expect(svg).toContain('2 files, 899 KB');
    expect(kindChart(RUN)).toBe(svg);
  });

  it('escapes names', () => {
    const run: BenchRun = { codecs: ['a<b&c'], files: [{ name: 'x"y', size: 100, text: true, kind: 'k<&>', results: { 'a<b&c': { bytes: 30, encCpuMs: 1 } } }] };
    checkXml(speedChart(run));
    checkXml(kindChart(run));
  });

  it('file kinds: the corpora by name, others by extension or content', () => {
    expect(fileKind('x/calgary/book1', true)).toBe('prose');
    expect(fileKind('x/calgary/progc', true)).toBe('source code');
    expect(fileKind('x/canterbury/kennedy.xls', false)).toBe('binary');
    expect(fileKind('a/b.py', true)).toBe('source code');
    expect(fileKind('a/b.html', true)).toBe('markup');
    expect(fileKind('a/b.dat', false)).toBe('binary');
    expect(fileKind('a/b.log', true)).toBe('other text');
  });
});
