// Compiles the LM half of the module on its own (assembly/lm/exports.ts) for the
// LM tests, so they do not depend on the rest of the build.
import asc from 'assemblyscript/asc';

export type LmExports = Record<string, any> & { memory: WebAssembly.Memory };

export async function compileLm(): Promise<Uint8Array> {
  let out: Uint8Array | null = null;
  const { error, stderr } = await asc.main(
    ['assembly/lm/exports.ts', '-O3', '--runtime', 'stub', '--enable', 'simd', '--disable', 'relaxed-simd',
      '--noAssert', '--outFile', 'lm.wasm'],
    {
      writeFile(name: string, contents: string | Uint8Array) {
        if (name.endsWith('.wasm') && typeof contents !== 'string') out = contents;
      },
    },
  );
  if (error) throw new Error(`asc failed: ${error.message}\n${stderr.toString()}`);
  if (!out) throw new Error('asc produced no wasm');
  return out;
}

export async function instantiateLm(binary: Uint8Array): Promise<LmExports> {
  const module = await WebAssembly.compile(binary as BufferSource);
  const instance = await WebAssembly.instantiate(module, { env: { abort() { throw new Error('abort'); } } });
  return instance.exports as LmExports;
}
