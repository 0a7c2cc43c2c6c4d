// Worker entry (bundled into a string by scripts/embed.mjs): one Engine per worker (and one per decoder pack it decodes).
// It receives the compiled WebAssembly.Module once (and the model bundle before its first
// level-2 job; and a decoder pack's module and assets before its first frame of that pack),
// then codes frames on request. Runs as a Node worker_threads eval worker or a browser Web Worker.
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
/** An Engine per decoder pack (decoders.ts), by key. */
const packs = new Map<string, Engine>();

port.on((msg) => {
  if (msg.type === 'init') {
    engine = new Engine(msg.module, () => model, msg.priors);
    return;
  }
  if (msg.type === 'model') {
    model = msg.model;
    return;
  }
  if (msg.type === 'pack') {
    const assets = msg.model;
    packs.set(msg.key, new Engine(msg.module, () => assets, msg.priors));
    return;
  }
  let reply: WorkerReply;
  try {
    const e = msg.type === 'decode' && msg.pack ? packs.get(msg.pack) : engine;
    if (!e) throw new Error('worker used before init');
    const data =
      msg.type === 'encode'
        ? encodeFrameRecord(e, msg.level, msg.raw)
        : decodeFrameBody(e, msg.level, msg.head, msg.body, msg.index, msg.offset);
    reply = { id: msg.id, ok: true, data };
    port.postMessage(reply, [data.buffer]);
  } catch (e) {
    const err = e as Error;
    reply = { id: msg.id, ok: false, name: err.name, message: err.message };
    port.postMessage(reply);
  }
});
