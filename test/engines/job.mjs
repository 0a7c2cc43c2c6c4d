// The work every engine does, engine-neutral (Node, Bun, a browser page):
//   - compress every case at every level (threads 1; multi-frame cases also with
//     threads 2 and through the WHATWG stream), and decompress its own output;
//   - decompress the streams another engine (Node) made, if given;
//   - sample a few bytes at every level with fixed prompts, seeds and settings (SAMPLES).
// It reports compressed and sampled bytes (hex) so the caller can compare them across
// engines, and ok/error per check; it never throws for a failed check.
import { cases, equal, fromHex, toHex } from './inputs.mjs';

function fnv1a(bytes) {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h.toString(16);
}

async function collect(readable) {
  const parts = [];
  let n = 0;
  const reader = readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.length;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function chunked(data, size) {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i >= data.length) return c.close();
      c.enqueue(data.slice(i, i + size));
      i += size;
    },
  });
}

/**
 * The sampler's cases: short, with a fixed prompt and seed, one with the default tail cut and
 * one with minP 0 (every node of the byte tree evaluated) and top-k / top-p on.
 */
export const SAMPLES = [
  { name: 'prose T=0.8', opts: { prompt: 'The old man ', maxBytes: 48, temperature: 0.8, seed: 2026n } },
  { name: 'json T=1 top-k 40 top-p 0.95 minP 0', opts: { prompt: '{"id": ', maxBytes: 24, temperature: 1, topK: 40, topP: 0.95, minP: 0, seed: 7 } },
];

/**
 * job: { levels: number[], scale?: number, given?: { [level]: { [case]: hex } } }
 * returns { results: [{ level, name, inputHash, compressed (hex), checks: { name: 'ok' | error } }],
 *           samples: [{ level, name, sampled (hex) | null, error | null }] }
 */
export async function runJob(kolmo, job, log = () => {}) {
  const results = [];
  for (const level of job.levels) {
    for (const c of cases(level, job.scale ?? 1)) {
      const r = { level, name: c.name, inputLength: c.data.length, inputHash: fnv1a(c.data), compressed: null, checks: {} };
      const check = async (what, fn) => {
        try {
          const ok = await fn();
          r.checks[what] = ok === true ? 'ok' : `failed: ${ok}`;
        } catch (e) {
          r.checks[what] = `error: ${e && e.name}: ${e && e.message}`;
        }
      };
      const opts = { level, ...c.opts };
      const multi = 'frameSize' in c.opts;
      const t0 = Date.now();
      let mine = null;
      await check('compress+decompress (threads 1)', async () => {
        mine = await kolmo.compress(c.data, { ...opts, threads: 1 });
        r.compressed = toHex(mine);
        const back = await kolmo.decompress(mine, { threads: 1 });
        return equal(back, c.data) || 'round trip differs';
      });
      if (multi && mine) {
        await check('compress threads 2 == threads 1', async () => {
          const two = await kolmo.compress(c.data, { ...opts, threads: 2 });
          return equal(two, mine) || 'threads 2 gave different bytes';
        });
        await check('decompress threads 2', async () => {
          const back = await kolmo.decompress(mine, { threads: 2 });
          return equal(back, c.data) || 'round trip differs';
        });
        await check('WHATWG stream == compress()', async () => {
          const z = await collect(chunked(c.data, 1000).pipeThrough(kolmo.createCompressStream({ ...opts, threads: 2 })));
          if (!equal(z, mine)) return 'stream bytes differ from compress()';
          const back = await collect(chunked(z, 777).pipeThrough(kolmo.createDecompressStream({ threads: 2 })));
          return equal(back, c.data) || 'stream round trip differs';
        });
      }
      const given = job.given?.[level]?.[c.name];
      if (given !== undefined) {
        await check('decompress the given stream', async () => {
          const back = await kolmo.decompress(fromHex(given), { threads: multi ? 2 : 1 });
          return equal(back, c.data) || 'round trip differs';
        });
      }
      log(`level ${level} ${c.name} (${c.data.length} B -> ${mine ? mine.length : '?'} B) ${Date.now() - t0} ms ${Object.values(r.checks).every((v) => v === 'ok') ? 'ok' : JSON.stringify(r.checks)}`);
      results.push(r);
    }
  }
  const samples = [];
  for (const level of job.levels) {
    for (const c of SAMPLES) {
      const r = { level, name: c.name, sampled: null, error: null };
      const t0 = Date.now();
      try {
        const parts = [];
        for await (const chunk of kolmo.sampleBytes({ ...c.opts, level })) parts.push(...chunk);
        r.sampled = toHex(Uint8Array.from(parts));
      } catch (e) {
        r.error = `${e && e.name}: ${e && e.message}`;
      }
      log(`level ${level} sample ${c.name}: ${r.sampled === null ? r.error : `${r.sampled.length / 2} B`} ${Date.now() - t0} ms`);
      samples.push(r);
    }
  }
  return { results, samples };
}
