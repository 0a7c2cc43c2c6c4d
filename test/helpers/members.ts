// Random streams of one or several members (concatenated streams), for the concatenation and
// range tests.
import fc from 'fast-check';
import { compressSync } from '../../src/index.js';
import { concatBytes, HAS_MODEL, lcgBytes, PARAGRAPH } from './util.js';

const enc = new TextEncoder();
/** Levels the properties mix: 1 always, 2 when the model bundle is built in (both are quick on small inputs). */
export const MIX_LEVELS = HAS_MODEL ? [1, 2] : [1];

export interface MemberSpec {
  data: Uint8Array;
  level: number;
  /** Frame size; inputs longer than it make a multi-frame member. */
  frameSize: number;
}

/** Contents that compress (text slices), do not (noise: stored frames), or are tiny or empty. */
export const content: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.tuple(fc.nat(PARAGRAPH.length), fc.integer({ min: 0, max: 700 })).map(([a, n]) => enc.encode(PARAGRAPH.repeat(3).slice(a, a + n))),
  fc.tuple(fc.nat(1000), fc.integer({ min: 0, max: 300 })).map(([seed, n]) => lcgBytes(seed, n)),
  fc.uint8Array({ maxLength: 40 }),
);

export const memberSpec: fc.Arbitrary<MemberSpec> = fc.record({
  data: content,
  level: fc.constantFrom(...MIX_LEVELS),
  frameSize: fc.oneof(fc.integer({ min: 16, max: 400 }), fc.constant(1 << 20)),
});

export const memberSpecs: fc.Arbitrary<MemberSpec[]> = fc.array(memberSpec, { minLength: 1, maxLength: 4 });

/** Each member's stream, their concatenation, and the content it decodes to. */
export function buildMembers(specs: MemberSpec[]): { streams: Uint8Array[]; stream: Uint8Array; content: Uint8Array } {
  const streams = specs.map((s) => compressSync(s.data, { level: s.level, frameSize: s.frameSize }));
  return { streams, stream: concatBytes(...streams), content: concatBytes(...specs.map((s) => s.data)) };
}
