#!/usr/bin/env node
// npm run test:browser — the BUILT package (dist/) in headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core; no browser download):
//   1. test/browser/page.mjs: one-shot round trips (level 1; level 2 when the build has a
//      model), WHATWG streams, threads: 2 (Web Workers), abort, corruption; compressed
//      bytes are compared with what Node makes from the same input.
//   2. test/bundler/app.js (import { compress, decompress } from 'kolmo'), bundled by
//      esbuild and by vite with no configuration, loaded in the same browser; level 2 too,
//      with the model file that Vite emits / that the esbuild page names.
// Prints every check and exits 1 when any fails (or when Chromium is missing).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, CHROMIUM_ARGS, launchChromium } from './chromium.mjs';
import { startServer } from './server.mjs';
import { json, random, text, toHex } from '../engines/inputs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TIMEOUT = Number(process.env.KOLMO_BROWSER_TIMEOUT_S || 300) * 1000;

let failures = 0;
const line = (ok, name, detail = '') => {
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
};

if (!fs.existsSync(path.join(root, 'dist/index.js'))) {
  console.error('FAIL dist/index.js is missing: run `npm run build` first');
  process.exit(1);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`FAIL ${CHROMIUM} is missing: apt-get install -y chromium (this test never downloads a browser)`);
  process.exit(1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kolmo-browser-'));
const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
// The page and Node use one snapshot of dist/ (a rebuild while this runs changes nothing here).
const dist = path.join(tmp, 'dist');
fs.cpSync(path.join(root, 'dist'), dist, { recursive: true });
fs.writeFileSync(path.join(tmp, 'package.json'), '{"type":"module"}');

// ---- bundle the app (no configuration: entry point, bundle, output) ----
const esbuildOut = path.join(tmp, 'esbuild');
const viteOut = path.join(tmp, 'vite');
const bundles = [];
try {
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: [path.join(root, 'test/bundler/app.js')], bundle: true, outdir: esbuildOut, logLevel: 'warning' });
  bundles.push({ name: 'esbuild', version: esbuild.version, url: '/bundle-esbuild/index.html' });
  // An IIFE bundle cannot locate the package's model file: the page ships a copy and names it.
  const modelFile = path.join(root, 'dist/generated/kolmo-model.bin');
  if (fs.existsSync(modelFile)) fs.copyFileSync(modelFile, path.join(esbuildOut, 'kolmo-model.bin'));
  fs.writeFileSync(path.join(esbuildOut, 'index.html'), '<!doctype html><meta charset="utf-8"><body data-name="esbuild" data-model="kolmo-model.bin"><script src="app.js"></script></body>');
} catch (e) {
  line(false, 'esbuild bundle of test/bundler/app.js', e.message);
}
try {
  const viteBin = path.join(root, 'node_modules/vite/bin/vite.js');
  execFileSync(process.execPath, [viteBin, 'build', path.join(root, 'test/bundler'), '--outDir', viteOut, '--emptyOutDir', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const version = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/vite/package.json'), 'utf8')).version;
  bundles.push({ name: 'vite', version, url: '/index.html' });
} catch (e) {
  line(false, 'vite build of test/bundler', e.message);
}

// ---- what Node makes from the page's inputs (the page must make the same bytes) ----
const kolmo = await import(path.join(dist, 'index.js'));
const expected = {};
{
  const levels = kolmo.modelName ? [1, 2, 3] : [1];
  const inputs = { text: text(24000), json: json(12000), random: random(6000), empty: new Uint8Array(0) };
  for (const level of levels) {
    for (const [name, data] of Object.entries(inputs)) {
      expected[`l${level}-${name}`] = toHex(await kolmo.compress(level >= 2 ? data.subarray(0, 2000) : data, { level, threads: 1 }));
    }
  }
  expected['l1-multi'] = toHex(await kolmo.compress(text(40000, 11), { level: 1, frameSize: 8192, threads: 1 }));
}

const server = await startServer({
  docs: { '/favicon.ico': '' },
  mounts: { '/dist/': dist, '/test/': path.join(root, 'test'), '/bundle-esbuild/': esbuildOut, '/': viteOut },
});

let context;
try {
  const playwrightVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/playwright-core/package.json'), 'utf8')).version;
  context = await launchChromium(path.join(tmp, 'profile'));
  const version = context.browser()?.version() ?? execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`Chromium ${version} (${CHROMIUM}), playwright-core ${playwrightVersion}, node ${process.version}, server ${server.url}`);
  console.log(`args: ${CHROMIUM_ARGS.join(' ')} --user-data-dir=<fresh temp dir>`);
  console.log(`package: dist/index.js, model ${kolmo.modelName ?? 'none (level 1 only)'}`);

  const open = async (url, name) => {
    const page = await context.newPage();
    page.on('pageerror', (e) => console.log(`  [${name} page error] ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') console.log(`  [${name} console.${m.type()}] ${m.text()}`);
    });
    let workers = 0;
    page.on('worker', () => workers++);
    const result = server.waitFor(name, TIMEOUT);
    await page.goto(server.url + url);
    try {
      return { ...JSON.parse(await result), workers };
    } finally {
      await page.close();
    }
  };

  console.log('\n# page: test/browser/page.html (dist/index.js)');
  const t0 = Date.now();
  const r = await open('/test/browser/page.html', 'page');
  for (const c of r.checks) line(c.ok, c.name, c.detail);
  for (const [k, hex] of Object.entries(expected)) {
    line(r.compressed[k] === hex, `compressed bytes in Chromium == Node (${k})`, r.compressed[k] === hex ? `${hex.length / 2} B` : `browser ${r.compressed[k]?.length / 2} B vs node ${hex.length / 2} B`);
  }
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  for (const b of bundles) {
    console.log(`\n# bundler: test/bundler/app.js built by ${b.name} ${b.version}`);
    const res = await open(b.url, b.name);
    line(res.ok, `${b.name} bundle: import { compress, decompress } from 'kolmo' round trips${kolmo.modelName ? ' (levels 1 and 2)' : ''}`, res.detail);
    line(res.workers >= 2, `${b.name} bundle: default threads ran in Web Workers`, `${res.workers} workers started`);
  }
} catch (e) {
  line(false, 'browser run', e.stack || e.message);
} finally {
  await context?.close().catch(() => {});
  await server.close();
  cleanup();
}

console.log(failures ? `\ntest:browser FAILED (${failures} failure${failures > 1 ? 's' : ''})` : '\ntest:browser passed');
process.exit(failures ? 1 : 0);
