// The built `kolmo` command for tests that spawn it (bin/kolmo.cjs -> dist/cli.cjs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

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
