// The built package (dist/index.js) for the scripts that check or write what it produces
// (scripts/golden.mjs, scripts/fixtures.mjs). Exits when it is missing; warns when it is older
// than what it is built from, and exits then when `strict` (a script about to write files).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function importDist(script, strict) {
  const distPath = path.join(root, 'dist/index.js');
  if (!fs.existsSync(distPath)) {
    console.error(`${script}: dist/index.js is missing; run \`npm run build\` first`);
    process.exit(2);
  }
  const distTime = fs.statSync(distPath).mtimeMs;
  const stale = ['build/kolmo.wasm', ...fs.readdirSync(path.join(root, 'src')).filter((f) => f.endsWith('.ts')).map((f) => `src/${f}`)]
    .filter((f) => fs.existsSync(path.join(root, f)) && fs.statSync(path.join(root, f)).mtimeMs > distTime);
  if (stale.length > 0) {
    console.error(`${script}: warning: dist/ is older than ${stale.join(', ')}; run \`npm run build\` first`);
    if (strict && !process.argv.includes('--allow-stale')) process.exit(2);
  }
  return import(distPath);
}
