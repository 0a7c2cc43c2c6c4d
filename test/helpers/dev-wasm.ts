// The development module (build/kolmo.dev.wasm, from assembly/dev.ts by `npm run build:wasm`):
// the release predictor plus the probes and test hooks (frequency probes, kernel entry points,
// the sampler's single steps, ablation), which the shipped module leaves out.
import fs from 'node:fs';
import path from 'node:path';

export type DevExports = Record<string, any> & { memory: WebAssembly.Memory };

const file = path.resolve(__dirname, '../../build/kolmo.dev.wasm');
let module: WebAssembly.Module | null = null;

/** The compiled development module (cached). */
export function devModule(): WebAssembly.Module {
  if (!module) {
    if (!fs.existsSync(file)) throw new Error('build/kolmo.dev.wasm is missing: run `npm run build:wasm`');
    module = new WebAssembly.Module(fs.readFileSync(file));
  }
  return module;
}

/** A fresh instance of the development module. */
export function devInstance(): DevExports {
  return new WebAssembly.Instance(devModule(), { env: { abort() { throw new Error('abort'); } } }).exports as DevExports;
}

/** A fresh instance of the development module with frame buffers of maxFrame bytes (its input buffer: inputPtr()). */
export function devCodecInstance(maxFrame = 1 << 20): DevExports {
  const x = devInstance();
  const status = x.setup(maxFrame);
  if (status !== 0) throw new Error(`setup(${maxFrame}) returned ${status}`);
  return x;
}
