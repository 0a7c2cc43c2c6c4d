// The import graph of src/ (relative imports only), read from import/export ... from lines.
// node tools/imports.mjs [--types] [--from=FILE]: the cycles (runtime imports; with --types,
// type-only imports too) and, with --from, every module FILE loads. test/imports.test.ts uses it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));

/** Map from each .ts file under dir (relative path) to the files it imports; type-only imports only with types. */
export function importGraph(dir = srcDir, { types = false } = {}) {
  const graph = new Map();
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) graph.set(p, []);
    }
  };
  walk(dir);
  for (const [file, deps] of graph) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"](\.[^'"]+)['"]/gm)) {
      const names = /^\{([^}]*)\}$/.exec(m[2].trim());
      const typeOnly = !!m[1] || (!!names && names[1].split(',').every((s) => !s.trim() || s.trim().startsWith('type ')));
      if (!typeOnly || types) deps.push(path.resolve(path.dirname(file), m[3].replace(/\.js$/, '.ts')));
    }
  }
  return new Map([...graph].map(([f, deps]) => [path.relative(dir, f), deps.map((d) => path.relative(dir, d))]));
}

/** Every cycle a depth-first walk meets, as 'a.ts -> b.ts -> a.ts'. */
export function cycles(graph) {
  const found = [];
  const state = new Map();
  const stack = [];
  const visit = (f) => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open') found.push([...stack.slice(stack.indexOf(d)), d].join(' -> '));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return found;
}

/** Every module that loading `file` loads, itself included, sorted. */
export function loads(graph, file) {
  const seen = new Set();
  const visit = (f) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const d of graph.get(f) ?? []) visit(d);
  };
  visit(file);
  return [...seen].sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const graph = importGraph(srcDir, { types: process.argv.includes('--types') });
  const found = cycles(graph);
  console.log(found.length ? `cycles:\n  ${found.join('\n  ')}` : 'no import cycles');
  const from = process.argv.find((a) => a.startsWith('--from='))?.slice(7);
  if (from) console.log(`${from} loads: ${loads(graph, from).join(', ')}`);
}
