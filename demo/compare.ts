// The compare table: each codec compresses the input, then decompresses its own output, one
// codec at a time (so that they do not share the cores while timed). A row shows the size,
// the share of the input, bits per input byte, both times with speeds, whether the round
// trip gave back the input, and a download of the compressed file. The table's data-state
// is "running", then "done", "stopped" or "failed"; each row carries data-codec, data-size
// and data-ok for scripts and tests.
import type { Codec } from './codecs.js';
import { download } from './download.js';
import { formatBytes, formatMs, formatSpeed } from './format.js';
import type { Input } from './input.js';

const COLUMNS = ['codec', 'size', 'share', 'bpb', 'compress', 'decompress', 'ok', 'save'] as const;
type Cells = Record<(typeof COLUMNS)[number], HTMLTableCellElement>;

function addRow(tbody: HTMLElement, codec: Codec): { row: HTMLTableRowElement; cells: Cells } {
  const row = document.createElement('tr');
  row.dataset.codec = codec.name;
  const cells = {} as Cells;
  for (const c of COLUMNS) row.append((cells[c] = document.createElement('td')));
  cells.codec.textContent = codec.name;
  tbody.append(row);
  return { row, cells };
}

function showProgress(cell: HTMLElement, label: string): (fraction: number) => void {
  const bar = document.createElement('progress');
  bar.max = 1;
  bar.value = 0;
  bar.title = label;
  cell.replaceChildren(bar);
  return (f) => (bar.value = f);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Runs every codec over the input into the table's body; resolves when all are done or stopped. */
export async function runCompare(table: HTMLTableElement, input: Input, codecs: Codec[], signal: AbortSignal): Promise<void> {
  const tbody = table.tBodies[0];
  tbody.replaceChildren();
  table.dataset.state = 'running';
  const sizes: { row: HTMLTableRowElement; size: number }[] = [];
  let busy: HTMLElement | null = null; // the cell whose progress bar is showing
  try {
    for (const codec of codecs) {
      const { row, cells } = addRow(tbody, codec);
      busy = cells.size;
      let t0 = performance.now();
      const packed = await codec.compress(input.bytes, showProgress(busy, 'compressing'), signal);
      const compressMs = performance.now() - t0;
      cells.size.textContent = formatBytes(packed.length);
      cells.share.textContent = input.bytes.length ? `${((100 * packed.length) / input.bytes.length).toFixed(1)} %` : '';
      cells.bpb.textContent = input.bytes.length ? ((8 * packed.length) / input.bytes.length).toFixed(3) : '';
      cells.compress.textContent = `${formatMs(compressMs)} · ${formatSpeed(input.bytes.length, compressMs)}`;
      row.dataset.size = String(packed.length);
      sizes.push({ row, size: packed.length });

      busy = cells.decompress;
      t0 = performance.now();
      const restored = await codec.decompress(packed, showProgress(busy, 'decompressing'), signal);
      const decompressMs = performance.now() - t0;
      busy = null;
      cells.decompress.textContent = `${formatMs(decompressMs)} · ${formatSpeed(input.bytes.length, decompressMs)}`;
      const ok = equal(restored, input.bytes);
      row.dataset.ok = String(ok);
      cells.ok.textContent = ok ? 'identical' : 'DIFFERS';
      if (!ok) cells.ok.className = 'error';

      const save = document.createElement('button');
      save.textContent = `.${codec.extension}`;
      save.title = `download ${input.name}.${codec.extension}`;
      save.onclick = () => download(packed, `${input.name}.${codec.extension}`);
      cells.save.replaceChildren(save);
    }
    table.dataset.state = 'done';
  } catch (e) {
    table.dataset.state = signal.aborted ? 'stopped' : 'failed';
    if (busy) {
      busy.textContent = signal.aborted ? 'stopped' : `${(e as Error).name}: ${(e as Error).message}`;
      busy.className = signal.aborted ? 'note' : 'error';
    }
    if (!signal.aborted) throw e;
  } finally {
    const best = sizes.reduce<(typeof sizes)[number] | null>((b, s) => (!b || s.size < b.size ? s : b), null);
    best?.row.classList.add('best');
  }
}
