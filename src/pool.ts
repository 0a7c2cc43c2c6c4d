import { KolmoAbortError, reviveError } from './errors.js';
import { workerSource } from './generated/worker-source.js';
import type { FrameJob, WorkerReply, WorkerRequest } from './protocol.js';
import type { FrameRunner } from './runner.js';

// A pool of workers, one WebAssembly instance each: worker_threads in Node, Web
// Workers in browsers. Jobs go to the first idle worker; results come back by id.

interface WorkerLike {
  post(msg: WorkerRequest, transfer?: Transferable[]): void;
  onMessage(l: (r: WorkerReply) => void): void;
  onError(l: (e: Error) => void): void;
  terminate(): void;
  /** Node: whether this worker keeps the process alive (only while it has a job). */
  keepAlive(on: boolean): void;
}

function spawn(): WorkerLike {
  const g = globalThis as any;
  const wt = g.process?.getBuiltinModule?.('node:worker_threads');
  if (wt) {
    const w = new wt.Worker(workerSource, { eval: true });
    return {
      post: (m, t) => w.postMessage(m, t ?? []),
      onMessage: (l) => w.on('message', l),
      onError: (l) => w.on('error', l),
      terminate: () => void w.terminate(),
      keepAlive: (on) => void (on ? w.ref() : w.unref()),
    };
  }
  if (typeof g.Worker === 'function' && typeof g.Blob === 'function') {
    const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    const w = new g.Worker(url);
    URL.revokeObjectURL(url);
    return {
      post: (m, t) => w.postMessage(m, t ?? []),
      onMessage: (l) => w.addEventListener('message', (e: MessageEvent) => l(e.data)),
      onError: (l) => w.addEventListener('error', (e: ErrorEvent) => l(new Error(e.message))),
      terminate: () => w.terminate(),
      keepAlive: () => {},
    };
  }
  throw new Error('no worker support in this environment (use threads: 1)');
}

export function createWorkerPool(
  threads: number,
  module: WebAssembly.Module,
  model: Uint8Array | null,
  priors: Record<number, Uint8Array>,
  signal?: AbortSignal,
): FrameRunner {
  const workers: WorkerLike[] = [];
  const idle: WorkerLike[] = [];
  const queue: { job: FrameJob; resolve: (d: Uint8Array) => void; reject: (e: Error) => void }[] = [];
  const pending = new Map<number, { worker: WorkerLike; resolve: (d: Uint8Array) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let closed = false;

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    for (const q of queue.splice(0)) q.reject(err);
  };

  const pump = () => {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.pop()!;
      const { job, resolve, reject } = queue.shift()!;
      const id = nextId++;
      pending.set(id, { worker: w, resolve, reject });
      // Copy just this frame's bytes (posting a view would clone its whole buffer)
      // and hand the copy over without a second copy.
      const msg = (job.type === 'encode' ? { ...job, id, raw: new Uint8Array(job.raw) } : { ...job, id, body: new Uint8Array(job.body) }) as WorkerRequest;
      const bytes = msg.type === 'encode' ? msg.raw : msg.type === 'decode' ? msg.body : null;
      w.keepAlive(true);
      w.post(msg, bytes ? [bytes.buffer as ArrayBuffer] : []);
    }
  };

  for (let i = 0; i < threads; i++) {
    const w = spawn();
    w.post({ type: 'init', module, model, priors });
    w.onMessage((r) => {
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      w.keepAlive(false);
      idle.push(w);
      if (r.ok) p.resolve(r.data);
      else p.reject(reviveError(r.name, r.message));
      pump();
    });
    w.onError((e) => {
      if (!closed) {
        close();
        failAll(e);
      }
    });
    // Idle workers never hold the process open (attaching the listeners above re-refs a
    // Node worker's port, so this comes after them); a worker with a job in flight does.
    w.keepAlive(false);
    workers.push(w);
    idle.push(w);
  }

  const onAbort = () => {
    close();
    failAll(new KolmoAbortError('operation aborted'));
  };
  signal?.addEventListener('abort', onAbort);

  function close() {
    if (closed) return;
    closed = true;
    signal?.removeEventListener('abort', onAbort);
    for (const w of workers) w.terminate();
  }

  return {
    parallelism: threads,
    run(job) {
      if (closed) return Promise.reject(new KolmoAbortError('worker pool is closed'));
      return new Promise((resolve, reject) => {
        queue.push({ job, resolve, reject });
        pump();
      });
    },
    close,
  };
}
