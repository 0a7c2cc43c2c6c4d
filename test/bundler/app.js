// A plain app that uses the package by name, as a user would; bundled by esbuild / vite
// with no configuration (test/browser/run.mjs). 'kolmo' resolves to the repository's
// package through its own package.json (a package self-reference).
import { compress, decompress } from 'kolmo';

async function main() {
  const data = new TextEncoder().encode('A bundled app compresses this line, again and again. '.repeat(600));
  // Default threads (navigator.hardwareConcurrency) and small frames: Web Workers in the bundle.
  const z = await compress(data, { level: 1, frameSize: 8192 });
  const back = await decompress(z);
  const same = back.length === data.length && back.every((b, i) => b === data[i]);
  return { ok: same && z.length < data.length, detail: `${data.length} B -> ${z.length} B -> ${back.length} B, ${same ? 'identical' : 'DIFFERENT'}` };
}

main()
  .catch((e) => ({ ok: false, detail: `${e && e.name}: ${e && e.message}` }))
  .then((r) => fetch('/result/' + (document.body.dataset.name || 'bundle'), { method: 'POST', body: JSON.stringify(r) }));
