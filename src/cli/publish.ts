import fs from 'node:fs';
import path from 'node:path';
import { cannotWrite, KolmoCliError } from './errors.js';

// Output files: written to a hidden temporary file next to the target, then moved into place,
// so a failure or an interrupt never leaves a partial file under the target's name. An
// existing device or FIFO (-o /dev/null) is written into directly instead.

/**
 * Checks an output path before any work: a directory is refused, and so is an existing file
 * without -f. Returns true for an existing device or FIFO (-o /dev/null), which is written
 * into directly: renaming a temporary file over it would put a regular file in its place.
 */
export function checkOutput(file: string, force: boolean): boolean {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (!st) return false;
  if (st.isDirectory()) throw new KolmoCliError(file, 'is a directory');
  if (st.isCharacterDevice() || st.isFIFO()) return true;
  if (!force) throw new KolmoCliError(file, 'already exists (use -f to overwrite)');
  return false;
}

/** A temporary file next to target, hidden, unique to this process. */
function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
}

/**
 * Moves the finished temporary file to target. Without -f a file that appeared at target
 * meanwhile is kept: link fails on it (EEXIST). A file system without hard links gets the rename.
 */
function publish(tmp: string, target: string, force: boolean): void {
  if (!force) {
    try {
      fs.linkSync(tmp, target);
      fs.rmSync(tmp);
      return;
    } catch (e) {
      if ((e as { code?: string }).code === 'EEXIST') throw e;
    }
  }
  fs.renameSync(tmp, target);
}

/**
 * Writes target through a temporary file: produce() streams into it, then it is published.
 * A failure or an interrupt (Ctrl-C, kill) removes the temporary file; an interrupt then exits
 * as the signal would. A failure to write is reported under target's name, not the temporary file's.
 */
export async function writeStreamed(target: string, force: boolean, produce: (dest: fs.WriteStream) => Promise<void>): Promise<void> {
  const tmp = tempPathFor(target);
  const onSignal = (signal: NodeJS.Signals) => {
    fs.rmSync(tmp, { force: true });
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.once(s, onSignal);
  try {
    await produce(fs.createWriteStream(tmp, { flags: 'wx' }));
    publish(tmp, target, force);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    const err = e as { code?: string; path?: string };
    if (err.path === tmp) throw cannotWrite(target, err.code);
    throw e;
  } finally {
    for (const s of signals) process.removeListener(s, onSignal);
  }
}

/** Writes target (a whole page, already in memory) through a temporary file; any failure is reported as one to write target. */
export function writeWhole(target: string, force: boolean, data: string | Uint8Array): void {
  const tmp = tempPathFor(target);
  try {
    fs.writeFileSync(tmp, data, { flag: 'wx' });
    publish(tmp, target, force);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw cannotWrite(target, (e as { code?: string }).code);
  }
}
