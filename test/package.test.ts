// What the package ships (issue 16): the release WebAssembly module with the product's exports
// only, the model file once for both module formats, checked when it loads, and an npm tarball
// of at most 9 MB that holds what a user needs and nothing else.
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { wasmModuleSync } from '../src/assets.js';
import { compressSync, decompressSync, KolmoModelMismatchError, loadModels, modelName } from '../src/index.js';
import { ensureBuilt, root } from './helpers/cli.js';

/** What src/engine.ts calls and the return codes it reads, plus predictorVersion (scripts/embed.mjs) and the memory. */
const RELEASE_EXPORTS = [
  'ERR_BAD_FILTER', 'ERR_NOT_SMALLER', 'ERR_OUT_OF_MEMORY', 'ERR_PAYLOAD_EXHAUSTED', 'LM_ERR_MEMORY', 'NG_ERR_MEMORY',
  'allocBytes', 'decodeFrame', 'decodedBytes', 'encodeFrame', 'inputPtr', 'loadPrior', 'measureFrame', 'memory', 'memoryBytes',
  'modelLoad', 'outputPtr', 'predictorVersion', 'samplerFeed', 'samplerGenerate', 'samplerHistoryPtr',
  'samplerLength', 'samplerStart', 'setup',
];

describe('the release WebAssembly module', () => {
  it('exports what the engine calls and no probe or test hook', () => {
    const names = WebAssembly.Module.exports(wasmModuleSync()).map((e) => e.name).sort();
    expect(names).toEqual(RELEASE_EXPORTS);
  });
});

describe.runIf(modelName)('the model file', () => {
  it('bytes from another build are refused; the shipped file then loads', async () => {
    await expect(loadModels(new Uint8Array(1000))).rejects.toThrow(KolmoModelMismatchError);
    await loadModels();
    const data = 'the model file, loaded once for every level-2 call '.repeat(20);
    expect(new TextDecoder().decode(decompressSync(compressSync(data, { level: 2 })))).toBe(data);
  });
});

describe('npm pack', () => {
  beforeAll(() => ensureBuilt(), 600_000);

  it('holds the built package, one model file, and is at most 9 MB', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const [pack] = JSON.parse(r.stdout) as [{ size: number; files: { path: string }[] }];
    const files = pack.files.map((f) => f.path).sort();
    const expected = [
      'README.md', 'bin/kolmo.cjs', 'dist/cli.cjs', 'dist/index.cjs', 'dist/index.d.cts', 'dist/index.d.ts', 'dist/index.js',
      'package.json', ...files.filter((f) => /^models\/[^/]+\.json$/.test(f)),
      ...(modelName ? ['dist/generated/kolmo-model.bin'] : []),
    ].sort();
    expect(files).toEqual(expected);
    expect(pack.size).toBeLessThanOrEqual(9_000_000);
  }, 120_000);
});
