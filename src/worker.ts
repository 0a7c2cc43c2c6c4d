// Worker entry (bundled into a string by scripts/embed.mjs): one Engine per worker.
// It receives the compiled WebAssembly.Module once (and the model bundle before its first
// level-2 job), then codes frames on request. Runs as a Node worker_threads eval worker or a browser Web Worker.
import { Engine, type ModelAssets } from './engine.js';
import { decodeFrameBody, encodeFrameRecord } from './frame.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

interface Port {
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  on(listener: (msg: WorkerRequest) => void): void;
}

function getPort(): Port {
  const g = globalThis as any;
  if (typeof g.WorkerGlobalScope !== 'undefined' && typeof g.postMessage === 'function') {
    return {
      postMessage: (m, t) => g.postMessage(m, t ?? []),
      on: (l) => g.addEventListener('message', (e: MessageEvent) => l(e.data)),
    };
  }
  const { parentPort } = g.process.getBuiltinModule('node:worker_threads');
  return {
    postMessage: (m, t) => parentPort.postMessage(m, t ?? []),
    on: (l) => parentPort.on('message', l),
  };
}

const port = getPort();
let engine: Engine | null = null;
let model: ModelAssets | null = null;

port.on((msg) => {
  if (msg.type === 'init') {
    engine = new Engine(msg.module, () => model, msg.priors);
    return;
  }
  if (msg.type === 'model') {
    model = msg.model;
    return;
  }
  let reply: WorkerReply;
  try {
    if (!engine) throw new Error('worker used before init');
    const data =
      msg.type === 'encode'
        ? encodeFrameRecord(engine, msg.level, msg.raw)
        : decodeFrameBody(engine, msg.level, msg.head, msg.body, msg.index, msg.offset);
    reply = { id: msg.id, ok: true, data };
    port.postMessage(reply, [data.buffer]);
  } catch (e) {
    const err = e as Error;
    reply = { id: msg.id, ok: false, name: err.name, message: err.message };
    port.postMessage(reply);
  }
});
