// The WebAssembly frequency probes (lmRunFreqs, ngramRunFreqs, modelRunFreqs) share one
// contract: given n bytes at inPtr, they write n pairs of u32 (frequency of the byte, total)
// at outPtr. This runs one over data.

type Memory = { memory: WebAssembly.Memory };

/** Copies data in (alloc: the instance's allocator), runs probe, returns the n (freq, total) pairs. */
export function runFreqProbe(
  ex: Memory,
  alloc: (bytes: number) => number,
  probe: (inPtr: number, n: number, outPtr: number) => void,
  data: Uint8Array,
): Uint32Array {
  const inp = alloc(Math.max(1, data.length));
  const out = alloc(8 * Math.max(1, data.length));
  new Uint8Array(ex.memory.buffer, inp, data.length).set(data);
  probe(inp, data.length, out);
  return new Uint32Array(ex.memory.buffer, out, 2 * data.length).slice();
}
