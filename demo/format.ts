// Number formatting for the page's tables and status lines.

export function formatBytes(n: number): string {
  if (n < 10_000) return `${n.toLocaleString('en')} B`;
  if (n < 10_000_000) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1048576).toFixed(1)} MiB`;
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Speed of `bytes` in `ms`, in KB/s or MB/s (decimal, as the README's KB per second). */
export function formatSpeed(bytes: number, ms: number): string {
  if (!(ms > 0)) return '';
  const kbPerS = bytes / ms; // bytes per ms = KB per s
  return kbPerS < 1000 ? `${kbPerS.toFixed(0)} KB/s` : `${(kbPerS / 1000).toFixed(1)} MB/s`;
}
