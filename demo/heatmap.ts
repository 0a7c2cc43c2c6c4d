// The heat map panel: the input's text coloured by what each character cost the model
// (kolmo's measure(), in a kolmo worker), with the same buckets and colours as
// `kolmo measure --html` (src/surprisal-html.ts), and a download of that command's page.
// The panel's data-state is "running", then "done" or "failed"; data-bpb holds bits per byte.
import { SURPRISAL_BUCKETS, bucketColour, surprisalHtml, surprisalRuns } from '../src/surprisal-html.js';
import { byId, showError } from './dom.js';
import { download } from './download.js';
import type { Input } from './input.js';
import { KolmoWorker } from './kolmo-worker.js';

/** The map covers the input's first bytes, up to this many (about a second at level 3). */
export const HEATMAP_MAX_BYTES = 64 * 1024;

function installStyles(): void {
  const style = document.createElement('style');
  style.textContent = Array.from({ length: SURPRISAL_BUCKETS }, (_, k) => `.b${k}{background:${bucketColour(k)}}`).join('\n');
  document.head.append(style);
}

function legend(): HTMLElement[] {
  const label = document.createElement('span');
  label.textContent = 'bits per character:';
  return [label, ...Array.from({ length: 9 }, (_, k) => {
    const s = document.createElement('span');
    s.className = `b${2 * k}`;
    s.textContent = k === 8 ? '8+' : String(k);
    return s;
  })];
}

function render(pre: HTMLElement, bytes: Uint8Array, bits: Float32Array): void {
  const frag = document.createDocumentFragment();
  for (const run of surprisalRuns(bytes, bits)) {
    const span = document.createElement('span');
    span.className = `b${run.bucket}`;
    span.textContent = run.text;
    frag.append(span);
  }
  pre.replaceChildren(frag);
}

export function setupHeatmap(levels: number[], bestLevel: number, currentInput: () => Input): void {
  const section = byId('heatmap-section');
  const button = byId<HTMLButtonElement>('heatmap-run');
  const select = byId<HTMLSelectElement>('heatmap-level');
  const save = byId<HTMLButtonElement>('heatmap-download');
  const summary = byId('heatmap-summary');
  const pre = byId('heatmap');
  const worker = new KolmoWorker();
  installStyles();
  byId('heatmap-legend').replaceChildren(...legend());
  for (const level of levels) select.add(new Option(String(level), String(level), level === bestLevel, level === bestLevel));

  let page: { name: string; html: string } | null = null;
  save.onclick = () => page && download(page.html, `${page.name}.surprisal.html`, 'text/html');
  button.disabled = false;
  button.onclick = async () => {
    const input = currentInput();
    const bytes = input.bytes.subarray(0, HEATMAP_MAX_BYTES);
    const level = Number(select.value);
    if (bytes.length === 0) {
      summary.textContent = 'The input is empty: nothing to measure.';
      return;
    }
    section.dataset.state = 'running';
    summary.className = 'note';
    summary.textContent = `Measuring ${bytes.length.toLocaleString('en')} bytes at level ${level}…`;
    button.disabled = save.disabled = true;
    try {
      const t0 = performance.now();
      const { bits, bitsPerByte } = await worker.measure(bytes, level);
      const ms = performance.now() - t0;
      render(pre, bytes, bits);
      page = { name: input.name, html: surprisalHtml(input.name, bytes, bits, level) };
      const cut = bytes.length < input.bytes.length ? ` (the first ${bytes.length.toLocaleString('en')} of ${input.bytes.length.toLocaleString('en')})` : '';
      summary.textContent = `${input.name}: ${bytes.length.toLocaleString('en')} bytes${cut}, ${bitsPerByte.toFixed(3)} bits per byte at level ${level}, measured in ${(ms / 1000).toFixed(2)} s.`;
      section.dataset.bpb = String(bitsPerByte);
      section.dataset.state = 'done';
      save.disabled = false;
    } catch (e) {
      section.dataset.state = 'failed';
      showError(summary, e);
    } finally {
      button.disabled = false;
    }
  };
}
