// The decompress panel: a chosen .kz file is described (kolmo's info()), decoded in a kolmo
// worker with progress, previewed when it is text, and offered for download. The
// panel's data-state is "running", then "done" or "failed"; data-length holds the output's length.
import { byId, showError } from './dom.js';
import { download } from './download.js';
import { formatBytes, formatMs } from './format.js';
import { KolmoWorker } from './kolmo-worker.js';

/** Characters of decoded text shown in the preview. */
const PREVIEW_CHARS = 4000;

export function setupUnpack(): void {
  const section = byId('unpack-section');
  const file = byId<HTMLInputElement>('kz-file');
  const progress = byId<HTMLProgressElement>('unpack-progress');
  const save = byId<HTMLButtonElement>('unpack-download');
  const status = byId('unpack-status');
  const preview = byId('unpack-preview');
  const worker = new KolmoWorker();
  let result: { name: string; bytes: Uint8Array } | null = null;

  save.onclick = () => result && download(result.bytes, result.name);
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    file.value = '';
    if (!f) return;
    section.dataset.state = 'running';
    save.disabled = true;
    preview.textContent = '';
    status.className = 'note';
    progress.hidden = false;
    progress.value = 0;
    try {
      const packed = new Uint8Array(await f.arrayBuffer());
      let level = 0;
      const t0 = performance.now();
      const bytes = await worker.decompress(packed, (fraction) => (progress.value = fraction), undefined, (about) => {
        level = about.level;
        status.textContent = `${f.name}: level ${level}, ${about.frames.length} frame(s), ${formatBytes(about.rawLength)} inside. Decoding…`;
      });
      const ms = performance.now() - t0;
      result = { name: f.name.replace(/\.kz$/i, '') || 'decompressed', bytes };
      status.textContent = `${f.name}: level ${level}, ${formatBytes(packed.length)} → ${formatBytes(bytes.length)} in ${formatMs(ms)}.`;
      try {
        preview.textContent = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, PREVIEW_CHARS * 4), { stream: true }).slice(0, PREVIEW_CHARS);
      } catch {
        preview.textContent = '(not UTF-8 text)';
      }
      section.dataset.length = String(bytes.length);
      section.dataset.state = 'done';
      save.disabled = false;
    } catch (e) {
      section.dataset.state = 'failed';
      showError(status, e);
    } finally {
      progress.hidden = true;
    }
  });
}
