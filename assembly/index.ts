// The release module (build/kolmo.wasm, embedded in the package): only what src/engine.ts
// calls, plus predictorVersion (read by scripts/embed.mjs for the model ids). Probes and
// test hooks live in the development module (assembly/dev.ts), which is never shipped.
export {
  setup, inputPtr, outputPtr, memoryBytes, allocBytes, encodeFrame, decodeFrame, decodedBytes, loadPrior, predictorVersion,
  ERR_NOT_SMALLER, ERR_OUT_OF_MEMORY, ERR_PAYLOAD_EXHAUSTED, ERR_BAD_FILTER,
} from "./codec";
export { LM_ERR_MEMORY } from "./lm/weights";
export { NG_ERR_MEMORY } from "./ngram/ngram";
export { samplerStart, samplerHistoryPtr, samplerFeed, samplerGenerate, samplerLength } from "./sampler";
export { measureFrame } from "./measure";
export { modelLoad } from "./model";
