// The kolmo WebAssembly module: everything exported here is callable from JS.
export * from "./codec";
export * from "./lm/exports";
