// The page's side of the kolmo worker (worker.ts): every kolmo call the page makes runs
// there, off the page's thread. compress() and decompress() code a single-frame input on
// their calling thread (frames are the unit of parallelism), so on the page a 1 MiB input
// at level 3 would freeze it for seconds; in the worker it spreads frames over the
// package's own pool of Web Workers as it would on the page.
//
// A KolmoWorker runs one request at a time. stop(), an aborted signal or a new request
// while one runs ends the one in flight by terminating the worker (its pool goes with it),
// so a long request stops at once; the next request starts a fresh worker.
import type { StreamInfo } from '../src/index.js';

export interface About {
  /** The levels this build codes (1 only without the model bundle), ascending. */
  levels: number[];
  bestLevel: number;
  modelName: string | null;
  formatVersion: number;
}

export interface SampleRequest {
  prompt: string;
  temperature: number;
  seed: number;
  maxBytes: number;
  level: number;
}

export type WorkerRequest =
  | { type: 'about' }
  | { type: 'compress'; bytes: Uint8Array; level: number }
  | { type: 'decompress'; bytes: Uint8Array }
  | { type: 'measure'; bytes: Uint8Array; level: number }
  | ({ type: 'sample' } & SampleRequest);

export type WorkerReply =
  | { type: 'about'; about: About }
  | { type: 'progress'; fraction: number }
  | { type: 'info'; info: StreamInfo }
  | { type: 'bytes'; bytes: Uint8Array }
  | { type: 'measured'; bits: Float32Array; bitsPerByte: number }
  | { type: 'text'; text: string }
  | { type: 'done' }
  | { type: 'error'; name: string; message: string };

type OnProgress = (fraction: number) => void;

export class KolmoWorker {
  private worker: Worker | null = null;
  private reject: ((e: Error) => void) | null = null;

  about(): Promise<About> {
    return this.request({ type: 'about' }, (r, resolve) => r.type === 'about' && resolve(r.about));
  }

  compress(bytes: Uint8Array, level: number, onProgress: OnProgress, signal?: AbortSignal): Promise<Uint8Array> {
    return this.request({ type: 'compress', bytes: bytes.slice(), level }, (r, resolve) => {
      if (r.type === 'progress') onProgress(r.fraction);
      else if (r.type === 'bytes') resolve(r.bytes);
    }, signal);
  }

  /** Decompresses a .kz stream; onInfo gets kolmo's info() about it before decoding starts. */
  decompress(packed: Uint8Array, onProgress: OnProgress, signal?: AbortSignal, onInfo?: (i: StreamInfo) => void): Promise<Uint8Array> {
    return this.request({ type: 'decompress', bytes: packed.slice() }, (r, resolve) => {
      if (r.type === 'progress') onProgress(r.fraction);
      else if (r.type === 'info') onInfo?.(r.info);
      else if (r.type === 'bytes') resolve(r.bytes);
    }, signal);
  }

  /** Bits each byte costs at a level (kolmo's measure()). */
  measure(bytes: Uint8Array, level: number): Promise<{ bits: Float32Array; bitsPerByte: number }> {
    return this.request({ type: 'measure', bytes: bytes.slice(), level }, (r, resolve) => {
      if (r.type === 'measured') resolve({ bits: r.bits, bitsPerByte: r.bitsPerByte });
    });
  }

  /** Streams sampled text to onText (kolmo's sample()); resolves when maxBytes are written. */
  sample(req: SampleRequest, onText: (text: string) => void): Promise<void> {
    return this.request({ type: 'sample', ...req }, (r, resolve) => {
      if (r.type === 'text') onText(r.text);
      else if (r.type === 'done') resolve();
    });
  }

  /** Ends the request in flight (it rejects with an AbortError). */
  stop(): void {
    this.worker?.terminate();
    this.worker = null;
    const reject = this.reject;
    this.reject = null;
    reject?.(new DOMException('stopped', 'AbortError'));
  }

  private request<T>(msg: WorkerRequest, onReply: (r: WorkerReply, resolve: (v: T) => void) => void, signal?: AbortSignal): Promise<T> {
    if (this.reject) this.stop();
    if (signal?.aborted) return Promise.reject(new DOMException('stopped', 'AbortError'));
    const worker = (this.worker ??= new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }));
    const onAbort = () => this.stop();
    signal?.addEventListener('abort', onAbort);
    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        this.reject = null;
        worker.onmessage = worker.onerror = null;
        signal?.removeEventListener('abort', onAbort);
      };
      this.reject = (e) => {
        finish();
        reject(e);
      };
      worker.onmessage = (e: MessageEvent<WorkerReply>) => {
        const r = e.data;
        if (r.type === 'error') {
          finish();
          reject(Object.assign(new Error(r.message), { name: r.name }));
        } else {
          onReply(r, (v) => {
            finish();
            resolve(v);
          });
        }
      };
      worker.onerror = (e) => {
        finish();
        this.worker = null;
        worker.terminate();
        reject(new Error(e.message || 'the kolmo worker failed'));
      };
      worker.postMessage(msg, 'bytes' in msg ? [msg.bytes.buffer] : []);
    });
  }
}
