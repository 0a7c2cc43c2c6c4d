#!/usr/bin/env node
// npm run test:engines — the built package (dist/) in several JavaScript engines:
//   Node (V8), Bun (JavaScriptCore; npm package `bun`), Firefox ESR (SpiderMonkey;
//   Debian's /usr/bin/firefox-esr driven by puppeteer-core over WebDriver BiDi) and
//   Chromium (V8 in a browser, Web Workers; Debian's /usr/bin/chromium via playwright-core).
// Every engine compresses the same inputs (test/engines/inputs.mjs) at every level this
// build supports and decompresses its own output and Node's; Node then decompresses
// every engine's output. Compressed bytes must be identical across engines (the
// determinism contract) and every round trip must give the input back. So must the
// sampler's bytes for fixed prompts, seeds and settings (job.mjs SAMPLES).
//
//   KOLMO_ENGINES=node,bun,firefox,chromium (default: all; Node always runs)
//   KOLMO_ENGINES_SCALE=1 (input size factor)
// An engine that cannot be started is a failure, never a skip.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium } from '../browser/chromium.mjs';
import { startServer } from '../browser/server.mjs';
import { cases, equal, fromHex } from './inputs.mjs';
import { runJob } from './job.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
const TIMEOUT = Number(process.env.KOLMO_ENGINES_TIMEOUT_S || 900) * 1000;
const wanted = (process.env.KOLMO_ENGINES || 'node,bun,firefox,chromium').split(',').map((s) => s.trim()).filter(Boolean);
const scale = Number(process.env.KOLMO_ENGINES_SCALE || 1);

let failures = 0;
const line = (ok, name, detail = '') => {
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
};

if (!fs.existsSync(path.join(root, 'dist/index.js'))) {
  console.error('FAIL dist/index.js is missing: run `npm run build` first');
  process.exit(1);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kolmo-engines-'));
// Every engine loads the same snapshot of dist/ (a rebuild while this runs changes nothing here).
const dist = path.join(tmp, 'dist');
fs.cpSync(path.join(root, 'dist'), dist, { recursive: true });
fs.writeFileSync(path.join(tmp, 'package.json'), '{"type":"module"}');
const kolmo = await import(path.join(dist, 'index.js'));
const levels = kolmo.modelName ? [1, 2, 3] : [1];

console.log(`package: dist/index.js, model ${kolmo.modelName ?? 'none'}, levels ${levels.join(', ')}${kolmo.modelName ? '' : ' (this build has no model bundle, so levels 2 and 3 are not tested)'}`);
console.log(`inputs per level: ${cases(1, scale).map((c) => `${c.name} ${c.data.length} B${c.opts.frameSize ? ` (frameSize ${c.opts.frameSize})` : ''}`).join(', ')}${levels.includes(2) ? `; levels 2, 3: ${cases(2, scale).map((c) => c.data.length).join('/')} B` : ''}`);

// ---- Node first: its compressed streams are the reference ----
const engines = [];
const t0 = Date.now();
const node = await runJob(kolmo, { levels, scale }, (s) => console.log(`  [node] ${s}`));
node.engine = { name: 'Node', version: `${process.version} (V8 ${process.versions.v8})` };
node.seconds = (Date.now() - t0) / 1000;
engines.push(node);
const given = {};
for (const r of node.results) (given[r.level] ??= {})[r.name] = r.compressed;
const job = { levels, scale, given };

// ---- Bun ----
function bunBinary() {
  // npm 11 may skip bun's postinstall (which swaps the placeholder node_modules/bun/bin/bun.exe
  // for the binary), so fall back to the platform package's binary.
  const candidates = [path.join(root, 'node_modules/bun/bin/bun.exe')];
  for (const p of [`@oven/bun-${process.platform}-${process.arch}`, `@oven/bun-${process.platform}-${process.arch}-baseline`]) {
    try {
      candidates.push(path.join(path.dirname(require.resolve(`${p}/package.json`)), 'bin/bun'));
    } catch {}
  }
  for (const c of candidates) {
    try {
      if (fs.statSync(c).size < 1e6) continue; // the placeholder
      const v = execFileSync(c, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
      return { bin: c, version: v };
    } catch {}
  }
  throw new Error(`no runnable bun binary (tried ${candidates.map((c) => path.relative(root, c)).join(', ')}); run npm install`);
}

async function runBun() {
  const { bin, version } = bunBinary();
  const jobFile = path.join(tmp, 'job.json');
  const outFile = path.join(tmp, 'bun-result.json');
  fs.writeFileSync(jobFile, JSON.stringify(job));
  console.log(`\n# Bun ${version} (${path.relative(root, bin)})`);
  const t = Date.now();
  await new Promise((resolve, reject) => {
    const child = spawn(bin, [path.join(root, 'test/engines/bun-entry.mjs'), path.join(dist, 'index.js'), jobFile, outFile], { stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      code === 0 ? resolve() : reject(new Error(`bun exited with ${code ?? sig}`));
    });
  });
  const r = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  r.engine.version = `${r.engine.version} (revision ${r.engine.revision.slice(0, 12)}, JavaScriptCore)`;
  r.seconds = (Date.now() - t) / 1000;
  return r;
}

// ---- browsers: the same job in test/engines/page.html ----
let server;
async function serve() {
  server ??= await startServer({
    mounts: { '/dist/': dist, '/test/': path.join(root, 'test') },
    docs: { '/job.json': JSON.stringify(job), '/favicon.ico': '' },
  });
  return server;
}

async function runInPage(name, newPage) {
  const s = await serve();
  const page = await newPage();
  page.on('console', (m) => console.log(`  ${m.text()}`));
  page.on('pageerror', (e) => console.log(`  [${name} page error] ${e.message}`));
  const result = s.waitFor(name, TIMEOUT);
  const t = Date.now();
  await page.goto(`${s.url}/test/engines/page.html?engine=${name}`);
  const r = JSON.parse(await result);
  r.seconds = (Date.now() - t) / 1000;
  if (r.error) throw new Error(r.error);
  return r;
}

async function browserSuite(label, newPage) {
  const s = await serve();
  const page = await newPage();
  page.on('pageerror', (e) => console.log(`  [${label} page error] ${e.message}`));
  const result = s.waitFor('page', TIMEOUT);
  await page.goto(`${s.url}/test/browser/page.html`);
  const r = JSON.parse(await result);
  for (const c of r.checks) line(c.ok, `${label}: test/browser/page.html: ${c.name}`, c.ok ? '' : c.detail);
}

async function runFirefox() {
  if (!fs.existsSync(FIREFOX)) throw new Error(`${FIREFOX} is missing (apt-get install -y firefox-esr)`);
  const { default: puppeteer } = await import('puppeteer-core');
  const pv = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/puppeteer-core/package.json'), 'utf8')).version;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: fs.mkdtempSync(path.join(tmp, 'firefox-')),
    timeout: 120_000,
  });
  try {
    const version = await browser.version();
    console.log(`\n# Firefox ESR ${version.replace(/^firefox\//, '')} (${FIREFOX}, SpiderMonkey), puppeteer-core ${pv} over WebDriver BiDi`);
    const r = await runInPage('firefox', () => browser.newPage());
    r.engine.name = 'Firefox ESR';
    r.engine.version = `${version.replace(/^firefox\//, '')} (SpiderMonkey)`;
    // The browser suite of test:browser (streams, Web Workers, no leaked workers) in Firefox too.
    await browserSuite('Firefox ESR', () => browser.newPage());
    return r;
  } finally {
    await browser.close().catch(() => {});
  }
}

async function runChromium() {
  const context = await launchChromium(fs.mkdtempSync(path.join(tmp, 'chromium-')));
  try {
    const version = context.browser()?.version() ?? '?';
    console.log(`\n# Chromium ${version} (${CHROMIUM}, V8 with Web Workers), playwright-core`);
    const r = await runInPage('chromium', () => context.newPage());
    r.engine.name = 'Chromium';
    r.engine.version = `${version} (V8)`;
    return r;
  } finally {
    await context.close().catch(() => {});
  }
}

const runners = { bun: ['Bun', runBun], firefox: ['Firefox ESR', runFirefox], chromium: ['Chromium', runChromium] };
for (const w of wanted) {
  if (w === 'node') continue;
  if (!runners[w]) {
    line(false, `unknown engine "${w}" in KOLMO_ENGINES`);
    continue;
  }
  const [label, run] = runners[w];
  try {
    engines.push(await run());
  } catch (e) {
    line(false, `${label}: could not run`, e.message);
    engines.push({ engine: { name: label, version: 'NOT RUN' }, results: null });
  }
}
await server?.close();

// ---- compare ----
console.log('\n# results');
const ref = new Map(node.results.map((r) => [`${r.level}/${r.name}`, r]));
for (const e of engines) {
  if (!e.results) continue;
  let bad = 0;
  let checks = 0;
  for (const r of e.results) {
    const key = `${r.level}/${r.name}`;
    const n = ref.get(key);
    const where = `${e.engine.name} level ${r.level} ${r.name}`;
    for (const [what, v] of Object.entries(r.checks)) {
      checks++;
      if (v !== 'ok') {
        bad++;
        line(false, `${where}: ${what}`, v);
      }
    }
    if (!n || r.inputHash !== n.inputHash || r.inputLength !== n.inputLength) {
      bad++;
      line(false, `${where}: the generated input differs from Node's`);
      continue;
    }
    if (e === node) continue;
    checks += 2;
    if (r.compressed !== n.compressed) {
      bad++;
      line(false, `${where}: compressed bytes differ from Node's`, `${r.compressed?.length / 2} B vs ${n.compressed?.length / 2} B`);
    }
    // The reverse direction: what this engine made, decompressed in Node.
    try {
      const data = cases(r.level, scale).find((c) => c.name === r.name).data;
      const back = await kolmo.decompress(fromHex(r.compressed ?? ''), { threads: 2 });
      if (!equal(back, data)) throw new Error('round trip differs');
    } catch (err) {
      bad++;
      line(false, `${where}: Node decompressing its stream`, err.message);
    }
  }
  // The sampler: every case ran, and gave Node's bytes.
  const refSamples = new Map(node.samples.map((r) => [`${r.level}/${r.name}`, r]));
  for (const n of node.samples) {
    const r = e.samples?.find((x) => x.level === n.level && x.name === n.name);
    const where = `${e.engine.name} level ${n.level} sample "${n.name}"`;
    checks++;
    if (!r || r.sampled === null) {
      bad++;
      line(false, where, r ? r.error : 'missing');
    } else if (e !== node && r.sampled !== refSamples.get(`${n.level}/${n.name}`).sampled) {
      bad++;
      line(false, `${where}: sampled bytes differ from Node's`, `${r.sampled} vs ${n.sampled}`);
    }
  }
  const total = e.results.reduce((s, r) => s + (r.compressed?.length ?? 0) / 2, 0);
  line(bad === 0, `${e.engine.name} ${e.engine.version}`,
    `${e.results.length} cases, ${node.samples.length} samples, ${checks} checks${e === node ? '' : ' (incl. bytes == Node, samples == Node, and Node decompresses them)'}, ${total} compressed bytes, ${e.seconds.toFixed(1)} s`);
}
for (const e of engines) if (!e.results) line(false, `${e.engine.name}: NOT RUN (see above); nothing was checked in it`);

fs.rmSync(tmp, { recursive: true, force: true });
console.log(failures ? `\ntest:engines FAILED (${failures} failure${failures > 1 ? 's' : ''})` : `\ntest:engines passed: ${engines.map((e) => `${e.engine.name} ${e.engine.version}`).join('; ')}`);
process.exit(failures ? 1 : 0);
