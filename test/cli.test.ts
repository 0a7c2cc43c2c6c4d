// The `kolmo` command (bin/kolmo.cjs -> dist/cli.cjs).
// Needs the built package: `npm test` runs after `npm ci`, whose prepare script builds. When
// dist/cli.cjs is missing or older than src/, cliTestDir below rebuilds it (helpers/cli.ts), so
// a stale dist/ is never tested.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compressSync, decompressSync } from '../src/index.js';
import { lcgBytes, PARAGRAPH } from './helpers/util.js';
import { cliTestDir, kolmoBin, root, runKolmo } from './helpers/cli.js';

const bin = kolmoBin;
const tmp = cliTestDir('kolmo-cli-');
let dir: string;
beforeAll(() => {
  dir = tmp();
});

const kolmo = (args: string[], input?: Uint8Array | string) => runKolmo(args, { cwd: dir, input });

/** A fresh subdirectory with one file in it. */
function setup(name: string, data: Uint8Array | string): string {
  const sub = fs.mkdtempSync(path.join(dir, 'case-'));
  fs.writeFileSync(path.join(sub, name), data);
  return sub;
}

const rel = (sub: string, f: string) => path.join(path.basename(sub), f);
const text = PARAGRAPH.repeat(12);
const textBytes = new TextEncoder().encode(text);

function expectOneLineError(stderr: string, subject: string, re: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, `stderr: ${stderr}`).toHaveLength(1);
  expect(lines[0].startsWith(`kolmo: ${subject}: `), `stderr: ${stderr}`).toBe(true);
  expect(lines[0]).toMatch(re);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('kolmo CLI', () => {
  it('compress FILE writes FILE.kz and keeps FILE; decompress restores it', () => {
    const sub = setup('a.txt', text);
    const c = kolmo(['compress', '-l', '1', rel(sub, 'a.txt')]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.length).toBe(0);
    expect(fs.readFileSync(path.join(sub, 'a.txt'), 'utf8')).toBe(text);
    const kz = fs.readFileSync(path.join(sub, 'a.txt.kz'));
    expect(new Uint8Array(kz)).toEqual(compressSync(textBytes, { level: 1 }));
    fs.rmSync(path.join(sub, 'a.txt'));
    const d = kolmo(['decompress', rel(sub, 'a.txt.kz')]);
    expect(d.code, d.stderr).toBe(0);
    expect(fs.readFileSync(path.join(sub, 'a.txt'), 'utf8')).toBe(text);
    expect(fs.existsSync(path.join(sub, 'a.txt.kz'))).toBe(true);
    expect(fs.readdirSync(sub).sort()).toEqual(['a.txt', 'a.txt.kz']);
  });

  it('stdin -> stdout both ways (and "-" for stdin)', () => {
    const data = lcgBytes(4, 3000);
    const c = kolmo(['compress', '-l', '1', '--frame-size', '1024'], data);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toEqual(compressSync(data, { level: 1, frameSize: 1024 }));
    const d = kolmo(['decompress', '-'], c.stdout);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toEqual(data);
    const e = kolmo(['compress', '-l', '1'], new Uint8Array(0));
    expect(e.code).toBe(0);
    expect(decompressSync(e.stdout)).toEqual(new Uint8Array(0));
  });

  it('-o names the output; -c writes to stdout and creates no file', () => {
    const sub = setup('b.bin', textBytes);
    const o = kolmo(['compress', '-l', '1', rel(sub, 'b.bin'), '-o', rel(sub, 'out.kz')]);
    expect(o.code, o.stderr).toBe(0);
    expect(decompressSync(fs.readFileSync(path.join(sub, 'out.kz')))).toEqual(textBytes);
    const d = kolmo(['decompress', rel(sub, 'out.kz'), '-o', rel(sub, 'back.bin')]);
    expect(d.code, d.stderr).toBe(0);
    expect(new Uint8Array(fs.readFileSync(path.join(sub, 'back.bin')))).toEqual(textBytes);
    const before = fs.readdirSync(sub).sort();
    const c = kolmo(['compress', '-l', '1', '-c', rel(sub, 'b.bin')]);
    expect(c.code, c.stderr).toBe(0);
    expect(decompressSync(c.stdout)).toEqual(textBytes);
    const dc = kolmo(['decompress', '-c', rel(sub, 'out.kz')]);
    expect(dc.stdout).toEqual(textBytes);
    expect(fs.readdirSync(sub).sort()).toEqual(before);
    const both = kolmo(['compress', '-c', '-o', 'x', rel(sub, 'b.bin')]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/-o and -c cannot be used together/);
  });

  it('refuses to overwrite without -f (exit 1, one line, no stack); overwrites with -f', () => {
    const sub = setup('c.txt', text);
    fs.writeFileSync(path.join(sub, 'c.txt.kz'), 'precious');
    const r = kolmo(['compress', '-l', '1', rel(sub, 'c.txt')]);
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, rel(sub, 'c.txt.kz'), /already exists \(use -f to overwrite\)/);
    expect(fs.readFileSync(path.join(sub, 'c.txt.kz'), 'utf8')).toBe('precious');
    fs.writeFileSync(path.join(sub, 'd.txt'), 'other');
    const r2 = kolmo(['decompress', rel(sub, 'c.txt.kz'), '-o', rel(sub, 'd.txt')]);
    expect(r2.code).toBe(1);
    expect(fs.readFileSync(path.join(sub, 'd.txt'), 'utf8')).toBe('other');
    const f = kolmo(['compress', '-l', '1', '-f', rel(sub, 'c.txt')]);
    expect(f.code, f.stderr).toBe(0);
    expect(decompressSync(fs.readFileSync(path.join(sub, 'c.txt.kz')))).toEqual(textBytes);
    expect(fs.readdirSync(sub).sort()).toEqual(['c.txt', 'c.txt.kz', 'd.txt']);
  });

  it('a corrupted or truncated file: exit 1, a one-line typed message, no output file and no temp file', () => {
    const data = new TextEncoder().encode(PARAGRAPH.repeat(6));
    const good = compressSync(data, { level: 1, frameSize: 256 });
    // Damage the last frame's payload, so earlier frames are already written when it fails.
    // The byte is the first one (from 40 before the end) whose flip decodes to wrong bytes,
    // caught by the CRC; other flips can instead run the payload out, a different typed
    // error tested elsewhere. Searching keeps the test independent of the model's exact bytes.
    let bad = good;
    for (let k = 40; k < 120 && bad === good; k++) {
      const b = good.slice();
      b[good.length - k] ^= 0x10;
      try {
        decompressSync(b);
      } catch (e) {
        if (/CRC-32 mismatch/.test((e as Error).message)) bad = b;
      }
    }
    expect(bad).not.toBe(good);
    const cut = good.subarray(0, good.length - 5);
    for (const [name, bytes, re] of [
      ['bad.kz', bad, /^kolmo: \S+: frame \d+ at byte \d+: CRC-32 mismatch \(stored [0-9a-f]{8}, decoded [0-9a-f]{8}\): the data is damaged$/],
      ['cut.kz', cut, /truncated stream/],
      ['junk.kz', new TextEncoder().encode('this is not kolmo data'), /not a kolmo stream: bad magic at byte 0/],
    ] as const) {
      const sub = setup(name, bytes);
      for (const threads of ['1', '2']) {
        const r = kolmo(['decompress', '--threads', threads, rel(sub, name)]);
        expect(r.code, name).toBe(1);
        expectOneLineError(r.stderr, rel(sub, name), re);
        expect(fs.readdirSync(sub), `${name}: leftover files`).toEqual([name]);
      }
      const o = kolmo(['decompress', rel(sub, name), '-o', rel(sub, 'out.bin')]);
      expect(o.code).toBe(1);
      expect(fs.readdirSync(sub)).toEqual([name]);
      // With -f, an existing target survives a failed decompression untouched.
      fs.writeFileSync(path.join(sub, 'keep.bin'), 'old contents');
      const f = kolmo(['decompress', '-f', rel(sub, name), '-o', rel(sub, 'keep.bin')]);
      expect(f.code).toBe(1);
      expect(fs.readFileSync(path.join(sub, 'keep.bin'), 'utf8')).toBe('old contents');
      expect(fs.readdirSync(sub).sort()).toEqual([name, 'keep.bin'].sort());
    }
  });

  it('--verbose adds the stack trace', () => {
    const sub = setup('v.kz', 'KZ!garbage!');
    const r = kolmo(['decompress', '--verbose', rel(sub, 'v.kz')]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(new RegExp(`^kolmo: ${rel(sub, 'v.kz')}: `));
    expect(r.stderr).toMatch(/^\s+at /m);
    expect(r.stderr).toMatch(/Kolmo\w*Error/);
  });

  it('info prints the level and bits per byte', () => {
    const sub = setup('i.txt', text);
    fs.writeFileSync(path.join(sub, 'i.kz'), compressSync(textBytes, { level: 1, frameSize: 1000 }));
    const r = kolmo(['info', rel(sub, 'i.kz')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.out).toMatch(/^level:\s+1: context mixing \(fastest\)$/m);
    const bpb = Number(/^bits per byte:\s+([\d.]+)$/m.exec(r.out)?.[1]);
    const c = compressSync(textBytes, { level: 1, frameSize: 1000 });
    expect(bpb).toBeCloseTo((c.length * 8) / textBytes.length, 3);
    expect(r.out).toMatch(new RegExp(`^raw bytes:\\s+${textBytes.length}$`, 'm'));
    expect(r.out).toMatch(new RegExp(`${Math.ceil(textBytes.length / 1000)} frames of 1000 bytes`));
    const bad = kolmo(['info', rel(sub, 'i.txt')]);
    expect(bad.code).toBe(1);
    expectOneLineError(bad.stderr, rel(sub, 'i.txt'), /not a kolmo stream/);
  });

  it('stdout closed early (`kolmo compress -c big | head -c 10`): exits promptly with status 1', async () => {
    const sub = setup('big.bin', lcgBytes(8, 400_000));
    const child = spawn(process.execPath, [bin, 'compress', '-l', '1', '-c', '--frame-size', '4096', '--threads', '2', rel(sub, 'big.bin')], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy()); // like `head -c 10` exiting
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(-1);
      }, 15_000);
      child.on('exit', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    expect(code, `the CLI hung after EPIPE (killed after 15 s); stderr: ${stderr}`).toBe(1);
  });

  it('interrupted by SIGINT / SIGTERM: exit 130 / 143 and no temp file left behind', async () => {
    for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      const sub = setup('slow.bin', lcgBytes(21, 600_000));
      const child = spawn(process.execPath, [bin, 'compress', '-l', '1', '--threads', '1', '--frame-size', '16384', rel(sub, 'slow.bin')], {
        cwd: dir,
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      // Wait until the temporary output exists, then interrupt.
      for (let i = 0; i < 200 && !fs.readdirSync(sub).some((f) => f.endsWith('.tmp')); i++) await new Promise((r) => setTimeout(r, 10));
      expect(fs.readdirSync(sub).some((f) => f.endsWith('.tmp')), 'no temp file appeared (finished too fast?)').toBe(true);
      child.kill(signal);
      expect(await exited).toBe(status);
      expect(fs.readdirSync(sub), signal).toEqual(['slow.bin']);
    }
  });

  it('a script that abandons a stream (neither closed nor cancelled) still exits', () => {
    const script = `
      const k = require(${JSON.stringify(path.join(root, 'dist/index.cjs'))});
      const ts = k.createCompressStream({ level: 1, frameSize: 64, threads: 2 });
      const w = ts.writable.getWriter();
      const r = ts.readable.getReader();
      (async () => {
        const first = r.read();
        await w.write(new Uint8Array(1000).fill(7));
        await first;
        await new Promise((res) => setTimeout(res, 200));
        console.log('abandoned');
      })();
    `;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: dir, timeout: 15_000, encoding: 'utf8' });
    expect(r.signal, 'killed by the timeout: idle workers kept the process alive').toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('abandoned\n');
  });

  it('unknown option, missing file: exit 1 and one line; a usage error points at --help', () => {
    for (const args of [['compress', '--bogus'], ['--bogus'], ['compress', '-l'], ['info'], ['-d', 'info', 'x'], ['-o', 'x', 'a', 'b']]) {
      const r = kolmo(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(/^kolmo: .*\(kolmo --help for usage\)\n$/);
    }
    expect(kolmo(['compress', '--bogus']).stderr).toMatch(/unknown option --bogus/);
    // gzip's form: a word that is not a command is a FILE
    expectOneLineError(kolmo(['frobnicate']).stderr, 'frobnicate', /no such file/);
    const missing = kolmo(['compress', 'no-such-file']);
    expect(missing.code).toBe(1);
    expectOneLineError(missing.stderr, 'no-such-file', /no such file/);
    const suffix = setup('plain.bin', 'x');
    const s = kolmo(['decompress', rel(suffix, 'plain.bin')]);
    expect(s.code).toBe(1);
    expectOneLineError(s.stderr, rel(suffix, 'plain.bin'), /unknown suffix/);
    const nodir = kolmo(['compress', rel(suffix, 'plain.bin'), '-o', rel(suffix, 'missing/out.kz')]);
    expect(nodir.code).toBe(1);
    expectOneLineError(nodir.stderr, rel(suffix, 'missing/out.kz'), /cannot write: no such directory$/);
    const h = kolmo(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/usage:/);
  });

  it('bench --svg OUTDIR writes the two charts; --svg belongs to bench only', () => {
    const sub = setup('prose.txt', text);
    const out = path.join(sub, 'plots');
    const r = kolmo(['bench', '-l', '1', '--svg', out, sub]);
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['bench-speed.svg', 'bench-kinds.svg']) {
      expect(r.out).toContain(`wrote ${path.join(out, name)}`);
      const svg = fs.readFileSync(path.join(out, name), 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), name).toBe(true);
      for (const codec of ['kolmo-l1', 'gzip-9', 'brotli-11']) expect(svg, `${name}: ${codec}`).toContain(codec);
    }
    expect(fs.readFileSync(path.join(out, 'bench-kinds.svg'), 'utf8')).toContain('prose');
    const misplaced = kolmo(['compress', '--svg', out]);
    expect(misplaced.code).toBe(1);
    expect(misplaced.stderr).toMatch(/--svg is an option of bench/);
  });

  it("gzip's form: no command compresses (stdin to stdout, or each FILE to FILE.kz), -d / -t / -c / -k / -f, bundled flags", () => {
    const sub = setup('g.txt', text);
    fs.writeFileSync(path.join(sub, 'h.txt'), 'second file\n');
    // stdin -> stdout both ways, as tar -I runs it
    const packed = kolmo([], text);
    expect(packed.code, packed.stderr).toBe(0);
    expect(decompressSync(packed.stdout)).toEqual(textBytes);
    expect(kolmo(['-d'], packed.stdout).out).toBe(text);
    // several FILEs -> FILE.kz each, inputs kept (-k accepted)
    const r = kolmo(['-k', '-l', '1', rel(sub, 'g.txt'), rel(sub, 'h.txt')]);
    expect(r.code, r.stderr).toBe(0);
    expect(decompressSync(fs.readFileSync(path.join(sub, 'g.txt.kz')))).toEqual(textBytes);
    expect(new TextDecoder().decode(decompressSync(fs.readFileSync(path.join(sub, 'h.txt.kz'))))).toBe('second file\n');
    expect(fs.existsSync(path.join(sub, 'g.txt'))).toBe(true);
    // -dc (bundled) to stdout; -c with several FILEs writes members one after another
    expect(kolmo(['-dc', rel(sub, 'g.txt.kz')]).out).toBe(text);
    expect(kolmo(['-dc', rel(sub, 'g.txt.kz'), rel(sub, 'h.txt.kz')]).out).toBe(text + 'second file\n');
    const both = kolmo(['-c', '-l', '1', rel(sub, 'g.txt'), rel(sub, 'h.txt')]);
    expect(kolmo(['-d'], both.stdout).out).toBe(text + 'second file\n');
    // -d FILE.kz writes FILE, refuses an existing one without -f
    expectOneLineError(kolmo(['-d', rel(sub, 'g.txt.kz')]).stderr, rel(sub, 'g.txt'), /already exists/);
    expect(kolmo(['-df', rel(sub, 'g.txt.kz')]).code).toBe(0);
    expect(fs.readFileSync(path.join(sub, 'g.txt'), 'utf8')).toBe(text);
    // -t checks and writes nothing; a damaged stream fails it
    expect(kolmo(['-t', rel(sub, 'g.txt.kz')]).code).toBe(0);
    const bad = fs.readFileSync(path.join(sub, 'g.txt.kz'));
    bad[bad.length >> 1] ^= 1; // inside the payload: the CRC check fails
    fs.writeFileSync(path.join(sub, 'bad.kz'), bad);
    const t = kolmo(['-t', rel(sub, 'bad.kz')]);
    expect(t.code).toBe(1);
    expect(t.out).toBe('');
    expect(t.stderr).toMatch(/^kolmo: .*bad\.kz: /);
  });

  it('GNU tar -I kolmo creates and extracts an archive', () => {
    const tar = spawnSync('tar', ['--version'], { encoding: 'utf8' });
    expect(tar.status, 'GNU tar is needed for this test').toBe(0);
    const sub = setup('a.txt', text);
    fs.mkdirSync(path.join(sub, 'tree'));
    fs.renameSync(path.join(sub, 'a.txt'), path.join(sub, 'tree', 'a.txt'));
    fs.writeFileSync(path.join(sub, 'tree', 'b.bin'), lcgBytes(3, 5000));
    const env = { ...process.env };
    const create = spawnSync('tar', ['-I', kolmoBin, '-cf', 't.tar.kz', 'tree'], { cwd: sub, encoding: 'utf8', env });
    expect(create.status, create.stderr).toBe(0);
    expect(decompressSync(fs.readFileSync(path.join(sub, 't.tar.kz'))).length).toBeGreaterThan(5000);
    fs.mkdirSync(path.join(sub, 'out'));
    const extract = spawnSync('tar', ['-I', kolmoBin, '-xf', 't.tar.kz', '-C', 'out'], { cwd: sub, encoding: 'utf8', env });
    expect(extract.status, extract.stderr).toBe(0);
    expect(fs.readFileSync(path.join(sub, 'out/tree/a.txt'), 'utf8')).toBe(text);
    expect(new Uint8Array(fs.readFileSync(path.join(sub, 'out/tree/b.bin')))).toEqual(lcgBytes(3, 5000));
  });

  it('a refused option value is one line about the option, not about a file or stdin', () => {
    const sub = setup('a.txt', text);
    for (const [args, re] of [
      [['compress', '-l', '4', rel(sub, 'a.txt')], /^kolmo: -l must be 1, 2 or 3, got 4\n$/],
      [['compress', '--threads', '0', rel(sub, 'a.txt')], /^kolmo: --threads /],
      [['sample', '--top-p', '2'], /^kolmo: --top-p must be in \(0, 1\]\n$/],
      [['sample', '-l', '1', '--max-bytes', '4294967296'], /^kolmo: the prompt \+ --max-bytes must be at most 67108864 bytes/],
      [['sample', '--seed', '18446744073709551616'], /^kolmo: --seed must be below 2\^64/],
    ] as [string[], RegExp][]) {
      const r = kolmo(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.stdout.length, args.join(' ')).toBe(0);
    }
    expect(fs.readdirSync(sub)).toEqual(['a.txt']);
  });

  it('--seed keeps every digit (above 2^53) and decimals like .5 parse', () => {
    const a = kolmo(['sample', '-l', '1', '--max-bytes', '64', '--seed', '9007199254740992', '--temperature', '.9']);
    const b = kolmo(['sample', '-l', '1', '--max-bytes', '64', '--seed', '9007199254740993', '--temperature', '.9']);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout.length).toBe(64);
    expect(Buffer.from(a.stdout).equals(Buffer.from(b.stdout))).toBe(false);
  });

  it('-o into an existing FIFO writes into it (no temporary file renamed over it, no -f needed)', async () => {
    const sub = setup('a.txt', text);
    const fifo = path.join(sub, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status, 'mkfifo (coreutils) makes the FIFO').toBe(0);
    const received: Buffer[] = [];
    const reader = fs.createReadStream(fifo);
    reader.on('data', (c) => received.push(c as Buffer));
    const ended = new Promise<void>((r) => reader.on('end', () => r()));
    const child = spawn(process.execPath, [bin, 'compress', '-l', '1', rel(sub, 'a.txt'), '-o', rel(sub, 'pipe')], { cwd: dir });
    const code = await new Promise((r) => child.on('close', r));
    await ended;
    expect(code).toBe(0);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
    expect(new TextDecoder().decode(decompressSync(Buffer.concat(received)))).toBe(text);
    expect(fs.readdirSync(sub).sort()).toEqual(['a.txt', 'pipe']);
  });

  it('measure --html refuses a directory or an existing page before measuring, and leaves no temporary file', () => {
    const sub = setup('a.txt', text);
    fs.mkdirSync(path.join(sub, 'page'));
    fs.writeFileSync(path.join(sub, 'old.html'), 'keep');
    const d = kolmo(['measure', '-l', '1', rel(sub, 'a.txt'), '--html', rel(sub, 'page')]);
    expect(d.code).toBe(1);
    expectOneLineError(d.stderr, rel(sub, 'page'), /is a directory$/);
    expect(d.out).toBe(''); // refused before the measurement printed anything
    const e = kolmo(['measure', '-l', '1', rel(sub, 'a.txt'), '--html', rel(sub, 'old.html')]);
    expect(e.code).toBe(1);
    expectOneLineError(e.stderr, rel(sub, 'old.html'), /already exists/);
    expect(fs.readFileSync(path.join(sub, 'old.html'), 'utf8')).toBe('keep');
    const f = kolmo(['measure', '-l', '1', rel(sub, 'a.txt'), '--html', rel(sub, 'old.html'), '-f']);
    expect(f.code).toBe(0);
    expect(fs.readFileSync(path.join(sub, 'old.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    expect(fs.readdirSync(sub).sort()).toEqual(['a.txt', 'old.html', 'page']);
  });

  it('a pipe or device as FILE is read as a stream; -o - is standard output', () => {
    const sub = setup('a.txt', text);
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" compress -l 1 -o - <(cat "${path.join(sub, 'a.txt')}")`], { maxBuffer: 1 << 24 });
    expect(r.status, r.stderr.toString()).toBe(0);
    expect(new TextDecoder().decode(decompressSync(new Uint8Array(r.stdout)))).toBe(text);
    const unnamed = kolmo(['compress', '-l', '1', '/dev/null']);
    expect(unnamed.code).toBe(1);
    expectOneLineError(unnamed.stderr, '/dev/null', /pipe or device: use -o OUT or -c$/);
    const empty = kolmo(['compress', '-l', '1', '-c', '/dev/null']);
    expect(empty.code).toBe(0);
    expect(decompressSync(empty.stdout).length).toBe(0);
    expect(fs.existsSync(path.join(dir, '-'))).toBe(false);
  });

  it('decompress of a file named just ".kz" asks for -o instead of writing to an empty name', () => {
    const sub = setup('.kz', compressSync(textBytes, { level: 1 }));
    const r = kolmo(['decompress', rel(sub, '.kz')]);
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, rel(sub, '.kz'), /use -o/);
  });
});
