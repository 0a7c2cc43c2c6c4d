// Deterministic test inputs, the same bytes in every engine (Node, Bun, browsers).
// Plain ES2020, no imports: loaded by Node, by Bun, and by a browser page over http.

function xorshift(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

const WORDS = ('the of and to in is was for that on with as by at from his her it an were are which this be or has had ' +
  'not but have their they its one after new first been also who all two more other time people year way day man thing ' +
  'woman life child world school state family student group country problem hand part place case week company system')
  .split(' ');

export function text(n, seed = 1) {
  const r = xorshift(seed);
  let s = '';
  while (s.length < n) {
    let w = WORDS[r() % WORDS.length];
    const k = r() % 16;
    if (k === 0) w += '.\n';
    else if (k < 3) w += ',';
    s += w + ' ';
  }
  return new TextEncoder().encode(s.slice(0, n));
}

export function json(n, seed = 2) {
  const r = xorshift(seed);
  const recs = [];
  let len = 2;
  while (len < n) {
    const rec = JSON.stringify({ id: r() % 100000, name: WORDS[r() % WORDS.length] + '_' + WORDS[r() % WORDS.length], score: (r() % 10000) / 100, tags: [WORDS[r() % WORDS.length]], ok: (r() & 1) === 1 });
    recs.push(rec);
    len += rec.length + 1;
  }
  return new TextEncoder().encode('[' + recs.join(',') + ']');
}

export function random(n, seed = 3) {
  const r = xorshift(seed);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = r() >>> 24;
  return b;
}

export function repeats(n) {
  const unit = new TextEncoder().encode('abcabcabd 0123456789 ');
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = i < n / 4 ? 0x61 : unit[i % unit.length];
  return b;
}

/**
 * The cases for one level. Levels 2 and 3 run the n-gram and the LM (far slower), so their
 * inputs are smaller. Each: { name, data, opts } where opts go to compress().
 */
export function cases(level, scale = 1) {
  const k = Math.max(1, Math.round((level >= 2 ? 2048 : 16384) * scale));
  return [
    { name: 'empty', data: new Uint8Array(0), opts: {} },
    { name: 'one-byte', data: new Uint8Array([0x2a]), opts: {} },
    { name: 'text', data: text(2 * k), opts: {} },
    { name: 'json', data: json(k), opts: {} },
    { name: 'random', data: random(k), opts: {} },
    { name: 'repeats', data: repeats(k), opts: {} },
    // Several frames (the last one short), coded by one thread and by two.
    { name: 'multi-frame', data: text(3 * k + 123, 7), opts: { frameSize: Math.ceil(k / 2) } },
    { name: 'multi-frame-exact', data: json(2 * k, 8).subarray(0, 2 * k), opts: { frameSize: k / 2 } },
  ];
}

export function toHex(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return s;
}

export function fromHex(s) {
  const b = new Uint8Array(s.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return b;
}

export function equal(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
