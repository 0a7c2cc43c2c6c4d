// The development module (build/kolmo.dev.wasm, build/kolmo.debug.wasm): the product's
// exports (./index) plus the probes and test hooks that tests, scripts/ and bench/ call:
// ablation bits, prior making, the LM / n-gram / bundle frequency probes, the kernels'
// SIMD-vs-scalar entry points, the mixer self-test, the sampler's single steps. The same
// predictor code as the release module, so it codes the same bytes. Never shipped.
export * from "./codec";
export * from "./sampler";
export * from "./measure";
export * from "./lm/exports";
export * from "./selftest";
export * from "./model";
export * from "./ngram/exports";
export * from "./filter/probes";
export * from "./context-probes";
