import fs from 'node:fs';
import { defineConfig, type Options } from 'tsup';

// The model file of levels 2 and 3 (src/generated/kolmo-model.bin, scripts/embed.mjs) ships once,
// as dist/generated/kolmo-model.bin beside dist/index.js, dist/index.cjs and dist/cli.cjs, which
// all find it at './generated/kolmo-model.bin' relative to themselves (src/assets.ts). Everything
// else (the release WebAssembly, the level-1 prior, the worker) is embedded in each entry point.
const MODEL_FILE = 'generated/kolmo-model.bin';
function copyModelFile(): void {
  fs.rmSync('dist/generated', { recursive: true, force: true });
  if (!fs.existsSync(`src/${MODEL_FILE}`)) return; // a level-1-only build (KOLMO_NO_MODEL=1)
  fs.mkdirSync('dist/generated', { recursive: true });
  fs.copyFileSync(`src/${MODEL_FILE}`, `dist/${MODEL_FILE}`);
}

// KOLMO_CJS: which module format this output is (src/assets.ts finds the model file by it).
const formatFlag: Options['esbuildOptions'] = (options, { format }) => {
  options.define = { ...options.define, KOLMO_CJS: format === 'cjs' ? 'true' : 'false' };
};

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'neutral',
    target: 'es2022',
    clean: false,
    sourcemap: false,
    // CJS: import.meta.url from __filename (the ESM branch of src/assets.ts, dead code in CJS).
    shims: true,
    esbuildOptions: formatFlag,
    onSuccess: async () => copyModelFile(),
  },
  {
    entry: { cli: 'src/cli.ts' },
    format: ['cjs'],
    platform: 'node',
    target: 'node20',
    clean: false,
    shims: true,
    esbuildOptions: formatFlag,
  },
]);
