// A plain app that uses the package by name, as a user would; bundled by esbuild / vite
// with no configuration (test/browser/run.mjs). 'kolmo' resolves to the repository's
// package through its own package.json (a package self-reference).
// Level 2 needs the model file: Vite emits it from the package's new URL(file, import.meta.url);
// esbuild's IIFE bundle has no import.meta, so its page names the copied file (data-model)
// and the app passes that URL to loadModels().
import { compress, decompress, loadModels, modelName } from 'kolmo';

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

async function main() {
  const data = new TextEncoder().encode('A bundled app compresses this line, again and again. '.repeat(600));
  // Default threads (navigator.hardwareConcurrency) and small frames: Web Workers in the bundle.
  const z = await compress(data, { level: 1, frameSize: 8192 });
  const back = await decompress(z);
  const ok1 = same(back, data) && z.length < data.length;
  let detail = `level 1: ${data.length} B -> ${z.length} B -> ${back.length} B, ${ok1 ? 'identical' : 'DIFFERENT'}`;
  if (!modelName) return { ok: ok1, detail };
  const url = document.body.dataset.model;
  if (url) await loadModels(url);
  const small = data.subarray(0, 4000);
  const z2 = await compress(small, { level: 2, threads: 1 });
  const ok2 = same(await decompress(z2, { threads: 1 }), small);
  detail += `; level 2 (model file ${url ? `from ${url}` : 'found by the bundle'}): ${small.length} B -> ${z2.length} B, ${ok2 ? 'identical' : 'DIFFERENT'}`;
  return { ok: ok1 && ok2, detail };
}

main()
  .catch((e) => ({ ok: false, detail: `${e && e.name}: ${e && e.message}` }))
  .then((r) => fetch('/result/' + (document.body.dataset.name || 'bundle'), { method: 'POST', body: JSON.stringify(r) }));
