// A tiny static http server on 127.0.0.1 (random port) for browser tests.
// Serves files under the given mounts (url prefix -> directory; a folder's URL serves its
// index.html), a few in-memory
// documents, and collects POSTed results: waitFor(name) resolves with the body.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

export async function startServer({ mounts, docs = {} }) {
  const posted = new Map();
  const waiters = new Map();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'POST' && url.pathname.startsWith('/result/')) {
      const name = url.pathname.slice('/result/'.length);
      const parts = [];
      req.on('data', (d) => parts.push(d));
      req.on('end', () => {
        const body = Buffer.concat(parts).toString('utf8');
        posted.set(name, body);
        waiters.get(name)?.(body);
        res.writeHead(204).end();
      });
      return;
    }
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (url.pathname in docs) {
      const d = docs[url.pathname];
      res.writeHead(200, { 'content-type': TYPES[path.extname(url.pathname)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      return void res.end(typeof d === 'function' ? d() : d);
    }
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const rel = decodeURIComponent(url.pathname.slice(prefix.length - 1));
      const file = path.resolve(dir, '.' + (rel.endsWith('/') ? rel + 'index.html' : rel));
      if (!file.startsWith(path.resolve(dir) + path.sep)) return void res.writeHead(403).end();
      return fs.readFile(file, (err, data) => {
        if (err) return void res.writeHead(404).end('not found');
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        res.end(data);
      });
    }
    res.writeHead(404).end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    /** Resolves with the body POSTed to /result/NAME (rejects after timeoutMs). */
    waitFor(name, timeoutMs) {
      if (posted.has(name)) return Promise.resolve(posted.get(name));
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no result "${name}" within ${timeoutMs / 1000} s`)), timeoutMs);
        waiters.set(name, (b) => {
          clearTimeout(t);
          resolve(b);
        });
      });
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
