#!/usr/bin/env node
// npm run demo: bundles demo/ into build/demo/, a static folder that any static file server
// can serve (no server-side code; module scripts and workers need http(s), not file://).
//   main.js        the page's script (demo/main.ts)
//   worker.js      the kolmo worker, a module worker that makes every kolmo call (demo/worker.ts)
//   src-*.js       kolmo itself, which worker.js imports on demand (demo/kolmo.ts)
//   generated/kolmo-model.bin   the model file of levels 2 and 3, where kolmo's chunk looks for
//                  it (new URL('./generated/kolmo-model.bin', import.meta.url), src/assets.ts)
//   index.html, style.css
// kolmo is bundled from src/ (the public API, src/index.ts), so src/generated/ must exist:
// `npm run build` (or `npm ci`) makes it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demo = path.join(root, 'demo');
const out = path.resolve(root, process.argv[2] ?? 'build/demo');

if (!fs.existsSync(path.join(root, 'src/generated/model.ts'))) {
  console.error('demo: src/generated/ is missing: run `npm run build` first');
  process.exit(1);
}
fs.rmSync(out, { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: [path.join(demo, 'main.ts'), path.join(demo, 'worker.ts')],
  bundle: true,
  splitting: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  outdir: out,
  entryNames: '[name]',
  minify: true,
  metafile: true,
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css']) fs.copyFileSync(path.join(demo, f), path.join(out, f));
const modelFile = path.join(root, 'src/generated/kolmo-model.bin');
if (fs.existsSync(modelFile)) { // absent in a level-1-only build (KOLMO_NO_MODEL=1)
  fs.mkdirSync(path.join(out, 'generated'), { recursive: true });
  fs.copyFileSync(modelFile, path.join(out, 'generated/kolmo-model.bin'));
}
for (const [file, o] of Object.entries(result.metafile.outputs)) {
  console.log(`${path.relative(root, file).padEnd(40)} ${(o.bytes / 1024).toFixed(0).padStart(7)} KiB`);
}
console.log(`demo: built ${path.relative(root, out)}/; serve it with any static server, e.g. \`python3 -m http.server -d ${path.relative(root, out)}\``);
