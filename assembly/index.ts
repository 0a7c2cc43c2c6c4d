// The release module (build/kolmo.wasm, embedded in the package): only what src/engine.ts
// calls, plus predictorVersion (read by scripts/embed.mjs for the model ids). Probes and
// test hooks live in the development module (assembly/dev.ts), which is never shipped.
export {
  setup, inputPtr, outputPtr, memoryBytes, allocBytes, encodeFrame, decodeFrame, loadPrior, predictorVersion,
} from "./codec";
export { samplerStart, samplerHistoryPtr, samplerFeed, samplerGenerate, samplerLength } from "./sampler";
export { measureFrame } from "./measure";
export { modelLoad } from "./model";
