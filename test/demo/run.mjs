#!/usr/bin/env node
// npm run test:demo — the built demo page (build/demo/, made by `npm run demo`) in headless
// Chromium (Debian's, through playwright-core), served from a sub-path by a plain static
// server, as any static host would serve it. It drives the page as a user would:
//   1. compresses a 2.6 MB input (three frames): progress is reported, level 1 round trips
//      with Node's size, and Stop ends the run;
//   2. compresses a text fixture made here: every codec's round trip is identical, kolmo's
//      sizes equal what Node makes from the same source, and the downloaded .kz decodes in Node;
//   3. renders the heat map: the text is all there, and bits per byte equal Node's measure();
//   4. runs the sampler briefly: its text equals Node's sample() with the same arguments;
//      a long run stops on Stop;
//   5. decompresses a multi-frame .kz made in Node, and downloads the result;
// then saves a screenshot (build/demo-test/screenshot.png, printed). Exits 1 on any failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { launchChromium } from '../browser/chromium.mjs';
import { startServer } from '../browser/server.mjs';
import { text } from '../engines/inputs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const site = path.join(root, 'build/demo');
const shot = path.join(root, 'build/demo-test/screenshot.png');
const TIMEOUT = Number(process.env.KOLMO_DEMO_TIMEOUT_S || 180) * 1000;

let failures = 0;
const line = (ok, name, detail = '') => {
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
};
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

if (!fs.existsSync(path.join(site, 'index.html'))) {
  console.error('FAIL build/demo/index.html is missing: run `npm run demo` first');
  process.exit(1);
}

// The reference: kolmo built from the same src/ as the page, for Node.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kolmo-demo-'));
await esbuild.build({ entryPoints: [path.join(root, 'src/index.ts')], bundle: true, format: 'esm', platform: 'node', outfile: path.join(tmp, 'kolmo.mjs'), logLevel: 'warning' });
// the model file beside the bundle, where src/assets.ts looks for it
if (fs.existsSync(path.join(root, 'src/generated/kolmo-model.bin'))) {
  fs.mkdirSync(path.join(tmp, 'generated'));
  fs.copyFileSync(path.join(root, 'src/generated/kolmo-model.bin'), path.join(tmp, 'generated/kolmo-model.bin'));
}
const kolmo = await import(pathToFileURL(path.join(tmp, 'kolmo.mjs')).href);
const levels = Object.keys(kolmo.levelIdsHex).map(Number);

const fixture = text(20000, 5);
const sampleArgs = { prompt: 'The model reads ', temperature: 0.8, seed: 7, maxBytes: 160 };

const server = await startServer({ docs: { '/favicon.ico': '' }, mounts: { '/some/path/demo/': site } });
let context;
try {
  context = await launchChromium(path.join(tmp, 'profile'));
  console.log(`Chromium ${context.browser()?.version() ?? '?'}, node ${process.version}, page ${server.url}/some/path/demo/, model ${kolmo.modelName ?? 'none'}`);
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.setViewportSize({ width: 1100, height: 900 });
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console.error: ${m.text()}`));
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  const state = (section, states = ['done', 'failed', 'stopped']) =>
    page.waitForFunction(([id, s]) => s.includes(document.getElementById(id).dataset.state), [section, states]);
  const downloaded = async (click) => {
    const [d] = await Promise.all([page.waitForEvent('download'), click()]);
    return { name: d.suggestedFilename(), bytes: new Uint8Array(fs.readFileSync(await d.path())) };
  };

  await page.goto(`${server.url}/some/path/demo/`);
  await page.waitForSelector('body[data-ready=true]');
  line(true, 'page loaded kolmo', await page.textContent('#status'));

  // 1. a multi-frame input: progress between 0 and 1 (frames on the pool inside the worker), then Stop
  let t0 = Date.now();
  const big = text(2_600_000, 9); // three frames of the default size
  await page.setInputFiles('#file', { name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.from(big) });
  await page.waitForFunction((n) => document.getElementById('input-name').textContent.includes(`${n.toLocaleString('en')} bytes`), big.length);
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver((ms) => ms.forEach((m) => m.target.localName === 'progress' && window.progressSeen.push(m.target.value)))
      .observe(document.getElementById('compare'), { attributes: true, attributeFilter: ['value'], subtree: true });
  });
  await page.click('#compress');
  await page.waitForSelector('#compare tr[data-codec="kolmo level 1"][data-ok]');
  await page.click('#compress-stop');
  await state('compare');
  const big1 = await page.$eval('#compare tr[data-codec="kolmo level 1"]', (tr) => ({ ...tr.dataset, cells: [...tr.cells].map((c) => c.textContent) }));
  line(big1.ok === 'true' && Number(big1.size) === (await kolmo.compress(big, { level: 1 })).length, 'compare: 2.6 MB at level 1 round trips, size == Node', big1.cells.slice(1).join(' | '));
  const seen = await page.evaluate(() => window.progressSeen.filter((v) => v > 0 && v < 1).map((v) => v.toFixed(2)));
  line(seen.length >= 2, 'compare: progress reported between frames', seen.join(' '));
  line((await page.getAttribute('#compare', 'data-state')) === 'stopped', 'compare: Stop ends the run', (await page.$$eval('#compare tbody tr', (trs) => trs.at(-1).textContent)));
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  // 2. compare the fixture (the table the screenshot shows)
  t0 = Date.now();
  await page.setInputFiles('#file', { name: 'fixture.txt', mimeType: 'text/plain', buffer: Buffer.from(fixture) });
  await page.waitForFunction((n) => document.getElementById('input-name').textContent.includes(`${n.toLocaleString('en')} bytes`), fixture.length);
  await page.click('#compress');
  await state('compare');
  const rows = await page.$$eval('#compare tbody tr', (trs) => trs.map((tr) => ({ ...tr.dataset, cells: [...tr.cells].map((c) => c.textContent) })));
  line(rows.length === 2 + levels.length, 'compare: one row per codec', rows.map((r) => `${r.codec} ${r.size} B`).join(', '));
  for (const r of rows) line(r.ok === 'true', `compare: ${r.codec} round trip identical`, r.cells.slice(1).join(' | '));
  for (const level of levels) {
    const node = (await kolmo.compress(fixture, { level, threads: 1 })).length;
    const r = rows.find((x) => x.codec === `kolmo level ${level}`);
    line(Number(r?.size) === node, `compare: kolmo level ${level} size in Chromium == Node`, `${r?.size} vs ${node} B`);
  }
  const gzip = Number(rows.find((r) => r.codec === 'CompressionStream gzip')?.size);
  const best = Math.min(...levels.map((l) => Number(rows.find((r) => r.codec === `kolmo level ${l}`)?.size)));
  line(best < gzip, 'compare: kolmo beats gzip on text', `${best} vs ${gzip} B`);
  const kz = await downloaded(() => page.click(`#compare tr[data-codec="kolmo level ${levels.at(-1)}"] button`));
  line(kz.name === 'fixture.txt.kz' && equal(await kolmo.decompress(kz.bytes), fixture), 'compare: downloaded .kz decodes in Node to the fixture', `${kz.name}, ${kz.bytes.length} B`);
  line(workers.some((u) => u.endsWith('/some/path/demo/worker.js')), 'compare: kolmo ran in the kolmo worker', workers.join(', '));
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  // 3. heat map
  t0 = Date.now();
  await page.click('#heatmap-run');
  await state('heatmap-section');
  const heat = await page.evaluate(() => ({
    state: document.getElementById('heatmap-section').dataset.state,
    bpb: Number(document.getElementById('heatmap-section').dataset.bpb),
    spans: document.querySelectorAll('#heatmap span').length,
    text: document.getElementById('heatmap').textContent,
    summary: document.getElementById('heatmap-summary').textContent,
  }));
  const measured = kolmo.measure(fixture);
  line(heat.state === 'done' && heat.spans > 100 && heat.text === new TextDecoder().decode(fixture), 'heat map: the whole text, coloured', `${heat.spans} runs; ${heat.summary}`);
  line(Math.abs(heat.bpb - measured.bitsPerByte) < 1e-9, 'heat map: bits per byte == Node measure()', `${heat.bpb} vs ${measured.bitsPerByte}`);
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  // 4. sampler
  t0 = Date.now();
  await page.fill('#prompt', sampleArgs.prompt);
  await page.fill('#temperature', String(sampleArgs.temperature));
  await page.fill('#seed', String(sampleArgs.seed));
  await page.fill('#max-bytes', String(sampleArgs.maxBytes));
  await page.click('#sample');
  await state('sampler-section');
  let expected = '';
  for await (const s of kolmo.sample(sampleArgs)) expected += s;
  const written = await page.textContent('#sample-text');
  line(written === expected, 'sampler: streamed text == Node sample() with the same arguments', JSON.stringify(written.slice(0, 60)) + '…');
  await page.fill('#max-bytes', '100000');
  await page.click('#sample');
  await page.waitForFunction(() => document.getElementById('sample-text').textContent.length > 50);
  await page.click('#sample-stop');
  await state('sampler-section');
  line((await page.getAttribute('#sampler-section', 'data-state')) === 'stopped', 'sampler: Stop ends a long run', await page.textContent('#sample-status'));
  await page.fill('#max-bytes', String(sampleArgs.maxBytes));
  await page.click('#sample'); // leave the short text on screen for the screenshot
  await state('sampler-section');
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  // 5. decompress a .kz
  t0 = Date.now();
  const packed = await kolmo.compress(fixture, { level: 1, frameSize: 4096, threads: 1 });
  await page.setInputFiles('#kz-file', { name: 'made-in-node.txt.kz', mimeType: 'application/octet-stream', buffer: Buffer.from(packed) });
  await state('unpack-section');
  line((await page.getAttribute('#unpack-section', 'data-length')) === String(fixture.length), 'decompress: a 5-frame .kz from Node', await page.textContent('#unpack-status'));
  const out = await downloaded(() => page.click('#unpack-download'));
  line(out.name === 'made-in-node.txt' && equal(out.bytes, fixture), 'decompress: downloaded output == fixture', `${out.name}, ${out.bytes.length} B`);
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  fs.mkdirSync(path.dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);
  line(errors.length === 0, 'no page errors', errors.join('; '));
} catch (e) {
  line(false, 'demo run', e.stack || e.message);
} finally {
  await context?.close().catch(() => {});
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

console.log(failures ? `\ntest:demo FAILED (${failures} failure${failures > 1 ? 's' : ''})` : '\ntest:demo passed');
process.exit(failures ? 1 : 0);
