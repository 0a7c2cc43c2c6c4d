// The built `kolmo` command for tests that spawn it (bin/kolmo.cjs -> dist/cli.cjs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export const root = path.resolve(__dirname, '../..');
export const kolmoBin = path.join(root, 'bin/kolmo.cjs');

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Builds what the CLI needs when it is missing or older than src/: the TypeScript part (tsup),
 * plus `npm run build` first when src/generated/ is missing. Call from beforeAll (it can take minutes).
 */
export function ensureBuilt(): void {
  const cli = path.join(root, 'dist/cli.cjs');
  const run = (args: string[]) => {
    const r = spawnSync('npm', args, { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  };
  if (!fs.existsSync(path.join(root, 'src/generated/wasm.ts'))) run(['run', 'build']);
  else if (!fs.existsSync(cli) || fs.statSync(cli).mtimeMs < newestMtime(path.join(root, 'src'))) run(['run', 'build:ts']);
}

/** What one run of the kolmo command gave: exit status, raw stdout, stdout as text, stderr. */
export interface KolmoRun {
  code: number | null;
  stdout: Uint8Array;
  out: string;
  stderr: string;
}

/** Runs bin/kolmo.cjs with args in cwd, input on its standard input (none: empty). */
export function runKolmo(args: string[], opts: { cwd?: string; input?: Uint8Array | string } = {}): KolmoRun {
  const r = spawnSync(process.execPath, [kolmoBin, ...args], { cwd: opts.cwd, input: opts.input, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: new Uint8Array(r.stdout), out: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/**
 * For a describe block (or a file) whose tests run the CLI: builds it first and gives the
 * tests a temporary directory, removed afterwards. Returns a getter for the directory.
 */
export function cliTestDir(prefix: string): () => string {
  let dir = '';
  beforeAll(() => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  }, 180_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}
