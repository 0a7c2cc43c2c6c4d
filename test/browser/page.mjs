// Runs in headless Chromium against the built package (dist/index.js).
// Posts { checks: [{ name, ok, detail }], compressed: { name: hex } } to /result/page.
import { equal, json, random, text, toHex } from '/test/engines/inputs.mjs';

const checks = [];
const compressed = {};
const log = (s) => {
  document.getElementById('log').textContent += s + '\n';
  console.log(s);
};
async function check(name, fn) {
  const t0 = performance.now();
  try {
    const r = await fn();
    checks.push({ name, ok: r === true, detail: r === true ? `${Math.round(performance.now() - t0)} ms` : String(r) });
  } catch (e) {
    checks.push({ name, ok: false, detail: `${e?.name}: ${e?.message}` });
  }
  log(`${checks.at(-1).ok ? 'ok  ' : 'FAIL'} ${name}: ${checks.at(-1).detail}`);
}
/** Reads a stream to its end; rejects with the stream's own error. */
async function collect(readable) {
  const parts = [];
  const reader = readable.getReader();
  for (let r; !(r = await reader.read()).done; ) parts.push(r.value);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
function chunks(data, size) {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i >= data.length) return c.close();
      c.enqueue(data.slice(i, i + size));
      i += size;
    },
  });
}

// Count the Web Workers the pool starts and terminates (patched before the package loads).
let workersStarted = 0;
let workersTerminated = 0;
const NativeWorker = globalThis.Worker;
globalThis.Worker = class extends NativeWorker {
  constructor(...a) {
    super(...a);
    workersStarted++;
  }
  terminate() {
    workersTerminated++;
    super.terminate();
  }
};
const tick = (ms = 50) => new Promise((r) => setTimeout(r, ms));
/** Every worker started so far has been terminated (none leaked), after a short grace period. */
async function noLiveWorkers() {
  for (let i = 0; i < 20 && workersTerminated < workersStarted; i++) await tick();
  return workersTerminated === workersStarted || `${workersStarted - workersTerminated} of ${workersStarted} Web Workers still alive`;
}

try {
  const kolmo = await import('/dist/index.js');
  log(`kolmo: model ${kolmo.modelName}, default level ${kolmo.DEFAULT_LEVEL}, format ${kolmo.FORMAT_VERSION}, hardwareConcurrency ${navigator.hardwareConcurrency}`);
  const levels = kolmo.modelName ? [1, 2, 3] : [1];

  // The model file (dist/generated/kolmo-model.bin) is fetched, not embedded: a synchronous call
  // at level 2 needs loadModels() first; the async calls load it by themselves (below).
  if (kolmo.modelName) {
    const d = text(3000, 5);
    await check('compressSync level 2 before loadModels(): KolmoModelNotLoadedError', async () => {
      await kolmo.compress(d, { level: 1, threads: 1 }); // compiles the module (sync compiles are for workers)
      try {
        kolmo.compressSync(d, { level: 2 });
        return 'no error';
      } catch (e) {
        return e instanceof kolmo.KolmoModelNotLoadedError || `${e?.name}: ${e?.message}`;
      }
    });
    await check('loadModels(), then compressSync level 2 == compress level 2, decompressSync round trip', async () => {
      await kolmo.loadModels();
      const z = kolmo.compressSync(d, { level: 2 });
      const ref = await kolmo.compress(d, { level: 2, threads: 1 });
      if (!equal(z, ref)) return 'compressSync and compress differ';
      return equal(kolmo.decompressSync(z), d) || 'round trip differs';
    });
  }

  const inputs = { text: text(24000), json: json(12000), random: random(6000), empty: new Uint8Array(0) };
  for (const level of levels) {
    for (const [name, data] of Object.entries(inputs)) {
      const d = level >= 2 ? data.subarray(0, 2000) : data;
      await check(`one-shot level ${level} ${name} (${d.length} B)`, async () => {
        const z = await kolmo.compress(d, { level, threads: 1 });
        compressed[`l${level}-${name}`] = toHex(z);
        const back = await kolmo.decompress(z, { threads: 1 });
        return equal(back, d) || 'round trip differs';
      });
    }
  }
  await check('one-shot string input and ArrayBuffer input', async () => {
    const s = 'kolmo in a browser: \u00e9\u00e8 \u{1f600} '.repeat(50);
    const z = await kolmo.compress(s, { level: 1, threads: 1 });
    const back = await kolmo.decompress(z.slice().buffer, { threads: 1 });
    return new TextDecoder().decode(back) === s || 'string round trip differs';
  });

  const multi = text(40000, 11);
  const opts = { level: 1, frameSize: 8192 };
  let one = null;
  await check('threads 1, 5 frames', async () => {
    one = await kolmo.compress(multi, { ...opts, threads: 1 });
    compressed['l1-multi'] = toHex(one);
    return true;
  });
  await check('threads 2 (Web Workers): compress == threads 1 bytes, decompress round trip', async () => {
    const before = workersStarted;
    const two = await kolmo.compress(multi, { ...opts, threads: 2 });
    if (!equal(two, one)) return 'threads 2 gave different bytes';
    const back = await kolmo.decompress(two, { threads: 2 });
    if (!equal(back, multi)) return 'round trip differs';
    if (workersStarted - before < 2) return `expected 2 Web Workers per call, saw ${workersStarted - before} in all`;
    return noLiveWorkers();
  });
  await check('WHATWG streams (threads 2): createCompressStream == compress(), createDecompressStream round trip', async () => {
    const z = await collect(chunks(multi, 3000).pipeThrough(kolmo.createCompressStream({ ...opts, threads: 2 })));
    if (!equal(z, one)) return 'stream bytes differ from compress()';
    const back = await collect(chunks(z, 1001).pipeThrough(kolmo.createDecompressStream({ threads: 2 })));
    if (!equal(back, multi)) return 'stream round trip differs';
    return noLiveWorkers();
  });
  await check('WHATWG streams (threads 2): cancelling the reader mid-stream terminates the workers', async () => {
    const src = new ReadableStream({ pull: (c) => c.enqueue(text(4096, 99)) }); // endless
    const reader = src.pipeThrough(kolmo.createCompressStream({ ...opts, threads: 2 })).getReader();
    const first = await reader.read(); // the header, then frames
    if (first.done) return 'stream ended early';
    await reader.read();
    await reader.cancel('enough');
    return noLiveWorkers();
  });
  await check('WHATWG streams (threads 2): a corrupt stream errors the readable and terminates the workers', async () => {
    const z = one.slice();
    z[z.length >> 1] ^= 1;
    try {
      await collect(chunks(z, 500).pipeThrough(kolmo.createDecompressStream({ threads: 2 })));
      return 'corrupted stream decompressed without error';
    } catch (e) {
      if (!(e instanceof kolmo.KolmoError)) return `errored with ${e?.name}: ${e?.message}`;
    }
    return noLiveWorkers();
  });
  await check('WHATWG streams (threads 1): single-frame stream, Blob.stream() source', async () => {
    const d = json(5000, 5);
    const z = await collect(new Blob([d]).stream().pipeThrough(kolmo.createCompressStream({ level: 1, threads: 1 })));
    const ref = await kolmo.compress(d, { level: 1, threads: 1 });
    if (!equal(z, ref)) return 'stream bytes differ from compress()';
    const back = await collect(new Blob([z]).stream().pipeThrough(kolmo.createDecompressStream()));
    return equal(back, d) || 'stream round trip differs';
  });
  await check('abort (threads 2): an aborted compress rejects with KolmoAbortError', async () => {
    const ac = new AbortController();
    const p = kolmo.compress(multi, { ...opts, threads: 2, signal: ac.signal });
    setTimeout(() => ac.abort(), 5);
    try {
      await p;
      return 'it finished instead';
    } catch (e) {
      if (!(e instanceof kolmo.KolmoAbortError)) return `rejected with ${e?.name}: ${e?.message}`;
    }
    return noLiveWorkers();
  });
  await check('corruption: a flipped byte is detected', async () => {
    const z = one.slice();
    z[Math.floor(z.length / 2)] ^= 0x10;
    try {
      await kolmo.decompress(z, { threads: 2 });
      return 'corrupted stream decompressed without error';
    } catch (e) {
      if (!(e instanceof kolmo.KolmoError)) return `rejected with ${e?.name}: ${e?.message}`;
    }
    return noLiveWorkers();
  });
  log(`Web Workers started: ${workersStarted}, terminated: ${workersTerminated}`);
} catch (e) {
  checks.push({ name: 'load and run', ok: false, detail: `${e?.name}: ${e?.message}\n${e?.stack}` });
}
await fetch('/result/page', { method: 'POST', body: JSON.stringify({ checks, compressed, userAgent: navigator.userAgent }) });
