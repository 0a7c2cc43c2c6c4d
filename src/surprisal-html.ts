// The surprisal heat map: text coloured by how surprising each character was to the model.
// surprisalRuns() and bucketColour() are shared by `kolmo measure FILE --html OUT.html`
// (surprisalHtml: a self-contained page, no scripts or external files) and the demo page.

/** Buckets are half-bit steps of a character's cost: 0 … SURPRISAL_BUCKETS − 1 (the last is 8+ bits). */
export const SURPRISAL_BUCKETS = 17;

/** Colour of a bucket: 0 = cool/pale, 16 (8+ bits) = hot red. */
export function bucketColour(bucket: number): string {
  const t = Math.min(1, bucket / 16);
  const hue = Math.round(210 - 210 * t); // blue -> red
  const light = Math.round(96 - 40 * t);
  return `hsl(${hue} 85% ${light}%)`;
}

/** A run of characters in the same bucket (CR dropped, so CRLF text shows one line break). */
export interface SurprisalRun {
  text: string;
  bucket: number;
}

/**
 * Cuts bytes into characters and characters into runs of one bucket. A UTF-8 sequence costs
 * the sum of its bytes' bits; an invalid byte stands alone as U+FFFD.
 */
export function surprisalRuns(bytes: Uint8Array, bits: Float32Array): SurprisalRun[] {
  const runs: SurprisalRun[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let run = '';
  let runBucket = -1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    let len = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (i + len > bytes.length) len = 1;
    let text: string;
    try {
      text = decoder.decode(bytes.subarray(i, i + len));
    } catch {
      len = 1;
      text = '\ufffd';
    }
    let cost = 0;
    for (let k = 0; k < len; k++) cost += bits[i + k];
    i += len;
    const bucket = Math.min(SURPRISAL_BUCKETS - 1, Math.round(cost * 2));
    if (bucket !== runBucket) {
      if (run) runs.push({ text: run, bucket: runBucket });
      run = '';
      runBucket = bucket;
    }
    run += text === '\r' ? '' : text;
  }
  if (run) runs.push({ text: run, bucket: runBucket });
  return runs;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export function surprisalHtml(name: string, bytes: Uint8Array, bits: Float32Array, level: number): string {
  const parts = surprisalRuns(bytes, bits).map((r) => `<span class="b${r.bucket}">${escapeHtml(r.text)}</span>`);
  let total = 0;
  for (const b of bits) total += b;
  const styles = Array.from({ length: SURPRISAL_BUCKETS }, (_, k) => `.b${k}{background:${bucketColour(k)}}`).join('');
  const legend = Array.from({ length: 9 }, (_, k) => `<span class="b${k * 2}">${k}${k === 8 ? '+' : ''}</span>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kolmo surprisal: ${escapeHtml(name)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
pre{white-space:pre-wrap;word-wrap:break-word;font:14px/1.6 ui-monospace,monospace;border:1px solid #ddd;padding:1rem;border-radius:6px}
.legend span{display:inline-block;min-width:2.2em;text-align:center;padding:2px 4px;font:13px ui-monospace,monospace}
${styles}
</style></head><body>
<h1>What the model found surprising</h1>
<p><b>${escapeHtml(name)}</b>: ${bytes.length} bytes, ${(total / Math.max(1, bytes.length)).toFixed(3)} bits per byte on average
(${Math.ceil(total / 8)} bytes if coded), level ${level}. Each character is coloured by the bits the model needed to code it.</p>
<p class="legend">bits per character: ${legend}</p>
<pre>${parts.join('')}</pre>
</body></html>
`;
}
