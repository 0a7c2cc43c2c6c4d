import { defineConfig } from 'tsup';
import type { Plugin } from 'esbuild';

// The embedded model (src/generated/model.ts, ~9 MB of base64) is built once per module
// format into dist/generated/ and imported from there by the library and the CLI, instead of
// being bundled into each of dist/index.js, dist/index.cjs and dist/cli.cjs.
const sharedModel: Plugin = {
  name: 'shared-model',
  setup(build) {
    const ext = build.initialOptions.format === 'cjs' ? 'cjs' : 'js';
    build.onResolve({ filter: /^\.\/generated\/model(\.js)?$/ }, () => ({ path: `./generated/model.${ext}`, external: true }));
  },
};

export default defineConfig([
  {
    entry: { 'generated/model': 'src/generated/model.ts' },
    format: ['esm', 'cjs'],
    platform: 'neutral',
    target: 'es2022',
    clean: false,
  },
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'neutral',
    target: 'es2022',
    clean: false,
    sourcemap: false,
    esbuildPlugins: [sharedModel],
  },
  {
    entry: { cli: 'src/cli.ts' },
    format: ['cjs'],
    platform: 'node',
    target: 'node20',
    clean: false,
    esbuildPlugins: [sharedModel],
  },
]);
