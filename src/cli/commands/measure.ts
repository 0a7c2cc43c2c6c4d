import fs from 'node:fs';
import path from 'node:path';
import { BEST_LEVEL, measure } from '../../index.js';
import { surprisalHtml } from '../../surprisal-html.js';
import type { Args } from '../args.js';
import { checkOutput, writeWhole } from '../publish.js';

// `kolmo measure FILE`: bits per byte under the model, and optionally a page of per-byte surprisal.

export function runMeasure(a: Args): void {
  const file = a.file!;
  const html = a.html;
  // Refuse an unusable page name before the (possibly long) measurement.
  const intoDevice = html !== undefined && checkOutput(html, a.force); // --html /dev/stdout
  const bytes = new Uint8Array(fs.readFileSync(file));
  const level = a.level ?? BEST_LEVEL;
  const m = measure(bytes, { level });
  process.stdout.write(`${file}: ${bytes.length} bytes, ${Number.isNaN(m.bitsPerByte) ? '-' : m.bitsPerByte.toFixed(4)} bits per byte (level ${level})\n`);
  if (html !== undefined && intoDevice) {
    fs.writeFileSync(html, surprisalHtml(path.basename(file), bytes, m.bits, level));
  } else if (html !== undefined) {
    writeWhole(html, a.force, surprisalHtml(path.basename(file), bytes, m.bits, level));
    process.stdout.write(`wrote ${html}\n`);
  }
}
