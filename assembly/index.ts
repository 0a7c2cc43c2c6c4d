// The kolmo WebAssembly module: everything exported here is callable from JS.
export * from "./codec";
export * from "./sampler";
export * from "./measure";
export * from "./lm/exports";
export * from "./selftest";
export * from "./model";
export * from "./ngram/exports";
