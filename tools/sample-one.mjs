// One run for tools/sample-instructions.sh: `make N` writes the level-3 stream of N sampled
// bytes (prompt "The ", T 0.8, seed 1) to /tmp/kolmo-sample-N.kz; `sample N` samples them
// again; `decompress N` decodes that stream.
import fs from 'node:fs';
import { sampleBytes, compressSync, decompressSync } from '../dist/index.js';

const [mode, nArg] = process.argv.slice(2);
const n = Number(nArg);
const opts = { prompt: 'The ', maxBytes: n, temperature: 0.8, seed: 1n, level: 3 };
const file = `/tmp/kolmo-sample-${n}.kz`;
if (mode === 'make') {
  const parts = [];
  for await (const c of sampleBytes(opts)) parts.push(c);
  fs.writeFileSync(file, compressSync(Buffer.concat(parts), { level: 3 }));
} else if (mode === 'sample') {
  for await (const _ of sampleBytes(opts)) { /* discard */ }
} else if (mode === 'decompress') {
  decompressSync(fs.readFileSync(file));
} else throw new Error(`unknown mode ${mode}`);
