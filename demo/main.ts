// The demo page (index.html): asks a kolmo worker what this build codes, then wires the
// input to the compare table and the heat map, and sets up the sampler and the decompress
// panel. Each panel has a kolmo worker of its own (kolmo-worker.ts), so one can run or stop
// without the others; nothing leaves the browser.
import { kolmoCodec, nativeCodec } from './codecs.js';
import { runCompare } from './compare.js';
import { byId, showError } from './dom.js';
import { setupHeatmap } from './heatmap.js';
import { watchInput } from './input.js';
import { KolmoWorker } from './kolmo-worker.js';
import { setupSampler } from './sampler.js';
import { setupUnpack } from './unpack.js';

const status = byId('status');
const currentInput = watchInput(byId('text'), byId('file'), byId('input-name'));

try {
  const worker = new KolmoWorker();
  const about = await worker.about();
  const codecs = [nativeCodec('gzip'), nativeCodec('deflate'), ...about.levels.map((level) => kolmoCodec(worker, level))];
  const threads = navigator.hardwareConcurrency || 2;
  status.textContent = `kolmo ready: model ${about.modelName ?? 'none (level 1 only)'}, format ${about.formatVersion}, ${threads} worker thread(s).`;
  document.body.dataset.ready = 'true';

  const compress = byId<HTMLButtonElement>('compress');
  const stop = byId<HTMLButtonElement>('compress-stop');
  const table = byId<HTMLTableElement>('compare');
  let controller: AbortController | null = null;
  stop.onclick = () => controller?.abort();
  compress.disabled = false;
  compress.onclick = async () => {
    controller = new AbortController();
    compress.disabled = true;
    stop.disabled = false;
    try {
      await runCompare(table, currentInput(), codecs, controller.signal);
    } catch (e) {
      showError(status, e);
    } finally {
      compress.disabled = false;
      stop.disabled = true;
    }
  };

  setupHeatmap(about.levels, about.bestLevel, currentInput);
  setupSampler(about.bestLevel);
  setupUnpack();
} catch (e) {
  showError(status, e);
}
