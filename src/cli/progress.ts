import type { Progress } from '../index.js';

/** A progress bar on stderr, redrawn at most 10 times a second. */
export function progressBar(total: number, label: string): { update(p: Progress): void; done(): void } {
  let last = 0;
  const draw = (done: number) => {
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const width = 30;
    const filled = Math.round(frac * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%`);
  };
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(p.bytesIn);
    },
    done() {
      draw(total);
      process.stderr.write('\n');
    },
  };
}
