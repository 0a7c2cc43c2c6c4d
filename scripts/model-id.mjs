// A level's model id: the 4 bytes every stream's header names (docs/format.md, "Model id").
// The one place that computes it: scripts/embed.mjs (the build's own ids) and
// scripts/make-decoder-pack.mjs (a decoder pack's manifest) both call it.
import crypto from 'node:crypto';

/** The predictor version of a release module (assembly/predictor.ts PREDICTOR_VERSION). */
export async function predictorVersionOf(wasm) {
  const { instance } = await WebAssembly.instantiate(wasm, { env: { abort() { throw new Error('abort'); } } });
  return instance.exports.predictorVersion();
}

/**
 * First 4 bytes (hex) of sha256("kolmo-model-id" | u32 predictor version | u8 level |
 * [the model bundle, levels 2 and 3] | the level's prior): everything that shapes the level's
 * bytes, so a decoder refuses a stream coded by another predictor, model or prior instead of
 * failing its checksum.
 */
export function modelIdHex(predictorVersion, level, bundle, prior) {
  const h = crypto.createHash('sha256').update('kolmo-model-id');
  const head = Buffer.alloc(5);
  head.writeUInt32LE(predictorVersion, 0);
  head.writeUInt8(level, 4);
  h.update(head);
  if (level >= 2) h.update(bundle);
  h.update(prior);
  return h.digest('hex').slice(0, 8);
}
