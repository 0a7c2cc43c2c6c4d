// The sampler panel: kolmo's sample() in a kolmo worker, its text streamed into the page as
// it is written. The same prompt, temperature, seed and length give the same text on every
// machine. The panel's data-state is "running", then "done", "stopped" or "failed".
import { byId, showError } from './dom.js';
import { download } from './download.js';
import { KolmoWorker } from './kolmo-worker.js';

export function setupSampler(bestLevel: number): void {
  const section = byId('sampler-section');
  const prompt = byId<HTMLTextAreaElement>('prompt');
  const temperature = byId<HTMLInputElement>('temperature');
  const seed = byId<HTMLInputElement>('seed');
  const maxBytes = byId<HTMLInputElement>('max-bytes');
  const start = byId<HTMLButtonElement>('sample');
  const stop = byId<HTMLButtonElement>('sample-stop');
  const save = byId<HTMLButtonElement>('sample-download');
  const status = byId('sample-status');
  const shownPrompt = byId('sample-prompt');
  const out = byId('sample-text');
  const worker = new KolmoWorker();

  save.onclick = () => download(shownPrompt.textContent + out.textContent, 'kolmo-sample.txt', 'text/plain');
  stop.onclick = () => worker.stop();
  start.disabled = false;
  start.onclick = async () => {
    const req = {
      prompt: prompt.value,
      temperature: Number(temperature.value),
      seed: Number(seed.value),
      maxBytes: Number(maxBytes.value),
      level: bestLevel,
    };
    shownPrompt.textContent = req.prompt;
    out.textContent = '';
    status.className = 'note';
    status.textContent = 'Writing…';
    section.dataset.state = 'running';
    start.disabled = save.disabled = true;
    stop.disabled = false;
    const t0 = performance.now();
    let bytes = 0;
    const encoder = new TextEncoder();
    const report = (what: string) =>
      (status.textContent = `${what}: ${bytes.toLocaleString('en')} bytes in ${((performance.now() - t0) / 1000).toFixed(1)} s at level ${req.level}, seed ${req.seed}.`);
    try {
      await worker.sample(req, (text) => {
        out.append(text);
        bytes += encoder.encode(text).length;
        report('Writing');
      });
      report('Done');
      section.dataset.state = 'done';
    } catch (e) {
      if ((e as Error).name === 'AbortError') {
        report('Stopped');
        section.dataset.state = 'stopped';
      } else {
        section.dataset.state = 'failed';
        showError(status, e);
      }
    } finally {
      start.disabled = false;
      stop.disabled = true;
      save.disabled = out.textContent === '';
    }
  };
}
