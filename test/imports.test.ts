import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs tool without type declarations
import { cycles, importGraph, loads } from '../tools/imports.mjs';

describe('src/ import graph', () => {
  it('has no import cycles, type-only imports included', () => {
    expect(cycles(importGraph(undefined, { types: true }))).toEqual([]);
  });

  it('option parsing loads neither the worker pool nor the engine', () => {
    const loaded: string[] = loads(importGraph(), 'options.ts');
    for (const heavy of ['pool.ts', 'runner.ts', 'engine.ts', 'assets.ts']) expect(loaded).not.toContain(heavy);
  });
});
