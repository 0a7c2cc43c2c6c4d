// The kolmo worker (a module Web Worker): answers one WorkerRequest at a time from
// kolmo-worker.ts with the package's API. compress() and decompress() spread frames over
// the package's own pool of Web Workers, started from here; measure() compiles the
// WebAssembly synchronously and blocks while it runs, which a worker may do.
import type { WorkerReply, WorkerRequest } from './kolmo-worker.js';
import { levels, loadKolmo } from './kolmo.js';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(msg: WorkerReply, transfer?: Transferable[]): void;
};

const onProgress = (p: { bytesIn: number; totalIn?: number }) =>
  scope.postMessage({ type: 'progress', fraction: p.totalIn ? p.bytesIn / p.totalIn : 0 });

scope.onmessage = async (e) => {
  const req = e.data;
  try {
    const k = await loadKolmo();
    switch (req.type) {
      case 'about':
        scope.postMessage({ type: 'about', about: { levels: levels(k), bestLevel: k.BEST_LEVEL, modelName: k.modelName, formatVersion: k.FORMAT_VERSION } });
        break;
      case 'compress': {
        const bytes = await k.compress(req.bytes, { level: req.level, onProgress });
        scope.postMessage({ type: 'bytes', bytes }); // copied: the result may share a buffer the package still uses
        break;
      }
      case 'decompress': {
        scope.postMessage({ type: 'info', info: k.info(req.bytes) });
        const bytes = await k.decompress(req.bytes, { onProgress });
        scope.postMessage({ type: 'bytes', bytes }); // copied: the result may share a buffer the package still uses
        break;
      }
      case 'measure': {
        const m = k.measure(req.bytes, { level: req.level });
        scope.postMessage({ type: 'measured', bits: m.bits, bitsPerByte: m.bitsPerByte }, [m.bits.buffer]);
        break;
      }
      case 'sample': {
        const { prompt, temperature, seed, maxBytes, level } = req;
        for await (const text of k.sample({ prompt, temperature, seed, maxBytes, level })) scope.postMessage({ type: 'text', text });
        scope.postMessage({ type: 'done' });
        break;
      }
    }
  } catch (err) {
    const x = err as Error;
    scope.postMessage({ type: 'error', name: x?.name ?? 'Error', message: x?.message ?? String(err) });
  }
};
