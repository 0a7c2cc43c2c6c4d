import { modelsFor } from './assets.js';
import { packByKey, packReady } from './decoders.js';
import { KolmoAbortError, reviveError } from './errors.js';
import { workerSource } from './generated/worker-source.js';
import type { ModelSource } from './engine.js';
import type { FrameJob, FrameRunner, WorkerReply, WorkerRequest } from './protocol.js';

// One process-wide (per JS realm) pool of workers, one WebAssembly instance each:
// worker_threads in Node, Web Workers in browsers. Every compress()/decompress() call
// and every stream borrows from it through a lease, so a compress stream piped into a
// decompress stream in the same process shares the workers instead of bringing its own
// (at level 1 each instance holds ~130 MB once it has coded a 1 MiB frame).
//
// - A lease with `threads` N runs at most N of its jobs at once; the pool holds at most
//   max(N) over the open leases, spawns workers only when a queued job needs one, and
//   terminates them all when the last lease closes (nothing lingers between calls).
// - Idle workers never keep a Node process alive; a worker with a job in flight does.
// - Closing a lease early (abort, error, cancel) rejects its queued jobs and terminates
//   the workers still running its jobs, so the work really stops and their memory goes.
// Which worker runs a job never changes the bytes it produces.

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
  // Node's modules come through process.getBuiltinModule (Node >= 20.16), so browser bundles never see them.
  // A runtime that looks like an older Node and has no Web Workers either gets a clear message.
  if (g.process?.versions?.node && typeof g.process.getBuiltinModule !== 'function' && typeof g.Worker !== 'function') {
    throw new Error(`kolmo's worker threads need Node.js >= 20.16 (this is ${g.process.version}); use threads: 1`);
  }
  const wt = g.process?.getBuiltinModule?.('node:worker_threads');
  if (wt) {
    const w = new wt.Worker(workerSource, { eval: true });
    return {
      post: (m, t) => w.postMessage(m, t ?? []),
      onMessage: (l) => w.on('message', l),
      onError: (l) => {
        w.on('error', l);
        // A worker that exits by itself (not terminated by us) is a failure too.
        w.on('exit', (code: number) => l(new Error(`kolmo worker exited unexpectedly (code ${code})`)));
      },
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

interface Lease {
  threads: number;
  /** Jobs of this lease running on a worker now. */
  running: number;
  closed: boolean;
}

interface Task {
  lease: Lease;
  job: FrameJob;
  resolve: (d: Uint8Array) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: WorkerLike;
  task: Task | null;
  id: number;
  dead: boolean;
  /** Whether the worker has the model assets (sent with its first level-2 job). */
  hasModel: boolean;
  /** The decoder packs the worker has (each sent before its first frame of that pack). */
  packs: Set<string>;
}

class SharedPool {
  private slots: Slot[] = [];
  private queue: Task[] = [];
  private leases = new Set<Lease>();
  private nextId = 1;

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly model: ModelSource,
    private readonly priors: Record<number, Uint8Array>,
  ) {}

  /** Workers alive now (for tests and diagnostics). */
  get size(): number {
    return this.slots.length;
  }

  /** The most workers the open leases may use together. */
  private cap(): number {
    let n = 0;
    for (const l of this.leases) n = Math.max(n, l.threads);
    return n;
  }

  private spawnSlot(): Slot {
    const worker = spawn();
    const slot: Slot = { worker, task: null, id: 0, dead: false, hasModel: false, packs: new Set() };
    worker.post({ type: 'init', module: this.module, priors: this.priors });
    worker.onMessage((r) => {
      const t = slot.task;
      if (slot.dead || !t || r.id !== slot.id) return;
      slot.task = null;
      t.lease.running--;
      worker.keepAlive(false);
      if (r.ok) t.resolve(r.data);
      else t.reject(reviveError(r.name, r.message));
      this.pump();
    });
    worker.onError((e) => {
      if (slot.dead) return;
      this.kill(slot);
      const t = slot.task;
      slot.task = null;
      if (t) {
        t.lease.running--;
        t.reject(e);
      }
      this.pump();
    });
    // Idle workers never hold the process open (attaching the listeners above re-refs a
    // Node worker's port, so this comes after them).
    worker.keepAlive(false);
    this.slots.push(slot);
    return slot;
  }

  private kill(slot: Slot): void {
    slot.dead = true;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    slot.worker.terminate();
  }

  private pump(): void {
    const cap = this.cap();
    for (let i = 0; i < this.queue.length; ) {
      const t = this.queue[i];
      if (t.lease.running >= t.lease.threads) {
        i++;
        continue;
      }
      let slot = this.slots.find((s) => !s.task);
      if (!slot) {
        if (this.slots.length >= cap) return;
        try {
          slot = this.spawnSlot();
        } catch (e) {
          // No workers here (or none could start): this job fails, not the whole queue.
          this.queue.splice(i, 1);
          t.reject(e as Error);
          continue;
        }
      }
      this.queue.splice(i, 1);
      this.assign(slot, t);
    }
  }

  private assign(slot: Slot, t: Task): void {
    // The model assets or the pack go first, before the slot is marked busy (if this throws,
    // nothing is held). A pack's module was compiled before the job was queued (packReady).
    const pack = t.job.type === 'decode' ? t.job.pack : undefined;
    if (pack) {
      if (!slot.packs.has(pack)) {
        const d = packByKey(pack);
        slot.worker.post({ type: 'pack', key: pack, module: d.module!, priors: d.priors, model: d.assets });
        slot.packs.add(pack);
      }
    } else if (t.job.level >= 2 && !slot.hasModel) {
      slot.worker.post({ type: 'model', model: this.model() });
      slot.hasModel = true;
    }
    const id = this.nextId++;
    slot.task = t;
    slot.id = id;
    t.lease.running++;
    const job = t.job;
    // Copy just this frame's bytes (posting a view would clone its whole buffer)
    // and hand the copy over without a second copy.
    const msg = (job.type === 'encode' ? { ...job, id, raw: new Uint8Array(job.raw) } : { ...job, id, body: new Uint8Array(job.body) }) as WorkerRequest;
    const bytes = msg.type === 'encode' ? msg.raw : msg.type === 'decode' ? msg.body : null;
    slot.worker.keepAlive(true);
    slot.worker.post(msg, bytes ? [bytes.buffer as ArrayBuffer] : []);
  }

  lease(threads: number, signal?: AbortSignal): FrameRunner {
    const lease: Lease = { threads, running: 0, closed: false };
    this.leases.add(lease);

    const close = (err: Error) => {
      if (lease.closed) return;
      lease.closed = true;
      signal?.removeEventListener('abort', onAbort);
      this.leases.delete(lease);
      // Queued jobs of this lease will never run; running ones are stopped with their worker.
      const mine = this.queue.filter((t) => t.lease === lease);
      this.queue = this.queue.filter((t) => t.lease !== lease);
      for (const slot of this.slots.slice()) {
        if (slot.task?.lease === lease) {
          mine.push(slot.task);
          slot.task = null;
          this.kill(slot);
        }
      }
      lease.running = 0;
      for (const t of mine) t.reject(err);
      // Give back the workers nobody may use any more: all of them with no lease open.
      const cap = this.cap();
      for (const slot of this.slots.slice()) {
        if (this.slots.length <= cap) break;
        if (!slot.task) this.kill(slot);
      }
      this.pump();
    };
    const onAbort = () => close(new KolmoAbortError('operation aborted'));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort);

    return {
      parallelism: threads,
      run: (job) => {
        const closed = () => new KolmoAbortError(signal?.aborted ? 'operation aborted' : 'worker pool is closed');
        if (lease.closed) return Promise.reject(closed());
        const queue = () =>
          new Promise<Uint8Array>((resolve, reject) => {
            if (lease.closed) return reject(closed());
            this.queue.push({ lease, job, resolve, reject });
            this.pump();
          });
        // A level-2 job waits for the model file, a pack's for its module (assign() hands them to the worker).
        const loading = job.type === 'decode' && job.pack ? packReady(job.pack) : modelsFor(job.level);
        return loading ? loading.then(queue) : queue();
      },
      close: () => close(new KolmoAbortError('worker pool is closed')),
    };
  }
}

let shared: SharedPool | null = null;

/**
 * A lease on the shared worker pool: up to `threads` of its jobs run at once. close() it
 * when done (and on failure: that stops its remaining work). An aborted signal closes it.
 */
export function leaseWorkers(
  threads: number,
  module: WebAssembly.Module,
  model: ModelSource,
  priors: Record<number, Uint8Array>,
  signal?: AbortSignal,
): FrameRunner {
  if (!shared) shared = new SharedPool(module, model, priors);
  return shared.lease(threads, signal);
}

/** Workers alive in the shared pool now. */
export function sharedWorkerCount(): number {
  return shared?.size ?? 0;
}
